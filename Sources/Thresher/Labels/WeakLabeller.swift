/// Candidate `clickbait` and `promo` labels for the blocks of an HTML page, from what marks a teaser
/// or a call to action on real sites, with no model: the public corpora fold both into "not main
/// text", so these candidates are the only rare-class labels that reach thousands of pages.
///
/// A teaser is a linked, headline-shaped block whose link goes to another article of the same site,
/// either among at least `templateSiblings` such blocks built from one template (a rail of cards) or
/// under a section label ("Related", "Most read", "More from"), or a "Read more: ..." line. A call to
/// action is a short block whose link goes to an app store, a social profile or a subscription page,
/// or whose own words or class names say subscribe, newsletter, sponsored, advert (`ad-slot`), share,
/// social, consent, cookie.
public enum WeakLabeller {
    /// Teaser-shaped blocks from one template that make a rail.
    static let templateSiblings = 3
    /// Section labels that introduce teasers (lowercased; a heading that starts with one).
    static let sectionLabels = ["related", "most read", "most popular", "more from", "more on", "recommended", "read more", "read next",
                                "also read", "you may also like", "you might also like", "trending", "top stories", "editor's choice",
                                "editors' picks", "more stories", "latest", "popular", "what to read next", "around the web", "more news"]
    static let teaserOpenings = ["read more:", "read also:", "also read:", "watch:", "related:", "see also:", "read:", "more:"]
    static let promoHosts = ["apps.apple.com", "itunes.apple.com", "play.google.com", "facebook.com", "twitter.com", "x.com",
                             "instagram.com", "linkedin.com", "youtube.com", "pinterest.com", "t.me", "whatsapp.com", "tiktok.com",
                             "flipboard.com", "news.google.com"]
    static let promoWords = ["subscribe", "newsletter", "sign up", "signup", "get the app", "download the app", "follow us",
                             "advertisement", "sponsored", "paid content", "partner content", "donate", "become a member", "join now"]
    static let promoTokens = ["subscribe", "subscription", "newsletter", "signup", "sponsor", "sponsored", "advert", "advertisement",
                              "promo", "paywall", "membership", "donate", "app-download", "appdownload", "social-follow", "follow-us",
                              // Consent dialogs, which the labelling rules call promo, vendor lists and all.
                              "consent", "cookie", "gdpr",
                              // Share and follow rows (rule "Share"), sponsored recommendation widgets, mailing-list forms.
                              "share", "sharing", "social", "outbrain", "taboola", "mailchimp"]
    /// Class-name parts (between `-` and `_`) that name an advert slot: `ad-slot`, `imdb-pro-ad`, `ads_top`.
    static let advertParts: Set<Substring> = ["ad", "ads", "adslot", "adunit", "dfp"]

    /// One candidate per block: `clickbait`, `promo`, or nil for no opinion.
    public static func candidates(_ page: SegmentedPage) -> [Label?] {
        let blocks = page.blocks
        guard page.format == .html else { return Array(repeating: nil, count: blocks.count) }
        let site = page.url.map { Link($0) }
        var labels = [Label?](repeating: nil, count: blocks.count)
        let teaserShaped = blocks.map { isTeaserShaped($0, site: site) }
        // Rails: teaser-shaped blocks that share their parent's template.
        var rails: [UInt64: Int] = [:]
        for (i, block) in blocks.enumerated() where teaserShaped[i] { rails[parentSignature(block), default: 0] += 1 }
        var underSection = false
        // A page's blocks share a few dozen class names: each is checked once.
        var promoTokenCache: [String: Bool] = [:]
        for (i, block) in blocks.enumerated() {
            if block.linkTarget == nil && block.words <= 5 {
                underSection = sectionLabelBytes.contains { startsWith(block.text, $0) }
            } else if !teaserShaped[i] && block.linkTarget == nil {
                underSection = false
            }
            if isPromo(block, tokenCache: &promoTokenCache) {
                labels[i] = .promo
            } else if teaserShaped[i] && (underSection || rails[parentSignature(block), default: 0] >= templateSiblings) {
                labels[i] = .clickbait
            } else if block.linkTarget != nil && block.words >= 4 && teaserOpeningBytes.contains(where: { startsWith(block.text, $0) }) {
                labels[i] = .clickbait
            }
        }
        return labels
    }

    /// Mostly link text of headline length whose link goes to another page of the same site.
    static func isTeaserShaped(_ block: Block, site: Link?) -> Bool {
        guard let href = block.linkTarget, block.words >= 4, block.words <= 30,
              Double(block.linkChars) >= 0.6 * Double(block.chars) else { return false }
        let target = Link(href)
        if let host = target.host, let own = site?.host, registrable(host) != registrable(own) { return false }
        if target.path == site?.path { return false }
        return looksLikeArticle(target.path)
    }

    /// The host and path of an `href` (absolute, scheme-relative or relative), read without
    /// Foundation's URL parser, which cost more than the rest of scoring on link-heavy pages.
    struct Link {
        var host: Substring?
        var path: Substring

        init(_ href: String) {
            // On UTF-8 bytes: `href` is ASCII nearly always, and Character-wise scanning is slow.
            let bytes = href.utf8
            let end = bytes.firstIndex { $0 == 0x3F || $0 == 0x23 } ?? bytes.endIndex   // ? and #
            var start = bytes.startIndex
            if let colon = bytes[..<end].firstIndex(of: 0x3A), !bytes[..<colon].contains(0x2F),
               bytes[colon...].starts(with: [0x3A, 0x2F, 0x2F]) {                          // scheme://
                start = bytes.index(colon, offsetBy: 3)
            } else if bytes[..<end].starts(with: [0x2F, 0x2F]) {                           // //host
                start = bytes.index(start, offsetBy: 2)
            } else {
                host = nil
                path = Substring(href[..<end])
                return
            }
            let slash = bytes[start..<end].firstIndex(of: 0x2F) ?? end
            host = Substring(href[start..<slash])
            path = Substring(href[slash..<end])
        }
    }

    /// A path with a slug of three or more words, a long number (a date, an id) or an `.html` page.
    static func looksLikeArticle(_ path: Substring) -> Bool {
        let segments = path.split(separator: "/")
        return segments.contains { segment in
            segment.split(separator: "-").count >= 3 || segment.split(separator: "_").count >= 3
                || segment.filter(\.isNumber).count >= 4 || segment.hasSuffix(".html") || segment.hasSuffix(".htm")
        }
    }

    static func isPromo(_ block: Block, tokenCache: inout [String: Bool]) -> Bool {
        if block.words <= 14, let href = block.linkTarget {
            let link = Link(href)
            if let host = link.host?.lowercased(), promoHosts.contains(where: { host == $0 || host.hasSuffix("." + $0) }) { return true }
            let path = Array(link.path.utf8)
            if promoPaths.contains(where: { contains(path, $0) }) { return true }
        }
        if block.words <= 14 && promoWordBytes.contains(where: { startsWith(block.text, $0) }) { return true }
        for token in block.elementTokens + block.ancestorTokens {
            let says = tokenCache[token] ?? {
                let bytes = Array(token.utf8)
                // "Most shared" lists are teasers, not share buttons.
                let says = (promoTokenBytes.contains { contains(bytes, $0) } && !contains(bytes, sharedBytes)) || namesAdvertSlot(token)
                tokenCache[token] = says
                return says
            }()
            if says { return true }
        }
        return false
    }

    /// Whether a class name has a part (between `-` and `_`) that names an advert slot.
    static func namesAdvertSlot(_ token: String) -> Bool {
        token.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" }).contains { advertParts.contains($0) }
    }

    static let promoPaths = ["subscribe", "newsletter", "signup", "membership", "donate"].map { Array($0.utf8) }
    static let promoTokenBytes = promoTokens.map { Array($0.utf8) }
    static let sharedBytes = Array("shared".utf8)
    static let promoWordBytes = promoWords.map { Array($0.utf8) }
    static let sectionLabelBytes = sectionLabels.map { Array($0.utf8) }
    static let teaserOpeningBytes = teaserOpenings.map { Array($0.utf8) }

    /// Whether `text` starts with `needle` (lowercase ASCII), ignoring ASCII case.
    static func startsWith(_ text: String, _ needle: [UInt8]) -> Bool {
        var i = 0
        for byte in text.utf8 {
            if i == needle.count { return true }
            if byte | 0x20 != needle[i] { return false }
            i += 1
        }
        return i == needle.count
    }

    /// Whether `bytes` hold `needle` (lowercase ASCII), ignoring ASCII case: on bytes, because
    /// Foundation's `contains` on Linux cost more than all the rest of scoring.
    static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        guard bytes.count >= needle.count, let first = needle.first else { return needle.isEmpty }
        for start in 0...(bytes.count - needle.count) where bytes[start] | 0x20 == first {
            var i = 1
            while i < needle.count && (bytes[start + i] | 0x20) == needle[i] { i += 1 }
            if i == needle.count { return true }
        }
        return false
    }

    /// The site part of a host: its last two labels, three under a short second-level label (`co.uk`,
    /// `com.au`); no public-suffix list, so an approximation.
    static func registrable(_ host: Substring) -> String {
        let labels = host.lowercased().split(separator: ".")
        let short = labels.count >= 3 && labels[labels.count - 1].count == 2 && labels[labels.count - 2].count <= 3
        return labels.suffix(short ? 3 : 2).joined(separator: ".")
    }

    /// Where the gold leaves a block to the rest (`boilerplate`), the candidate replaces it: editorial
    /// and comment gold always win, as they do over hand marks. Returns how many labels changed.
    @discardableResult
    public static func merge(into page: inout SegmentedPage) -> Int {
        guard var labels = page.labels else { return 0 }
        var changed = 0
        for (i, candidate) in candidates(page).enumerated() where labels[i] == .boilerplate {
            if let candidate { labels[i] = candidate; changed += 1 }
        }
        page.labels = labels
        return changed
    }

    static func parentSignature(_ block: Block) -> UInt64 {
        block.signatures.count > 1 ? block.signatures[1] : block.signatures.first ?? 0
    }
}
