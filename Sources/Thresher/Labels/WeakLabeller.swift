import Foundation

/// Candidate `clickbait` and `promo` labels for the blocks of an HTML page, from what marks a teaser
/// or a call to action on real sites, with no model: the public corpora fold both into "not main
/// text", so these candidates are the only rare-class labels that reach thousands of pages.
///
/// A teaser is a linked, headline-shaped block whose link goes to another article of the same site,
/// either among at least `templateSiblings` such blocks built from one template (a rail of cards) or
/// under a section label ("Related", "Most read", "More from"), or a "Read more: ..." line. A call to
/// action is a short block whose link goes to an app store, a social profile or a subscription page,
/// or whose own words or class names say subscribe, newsletter, sponsored, advertisement.
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
                              "promo", "paywall", "membership", "donate", "app-download", "appdownload", "social-follow", "follow-us"]

    /// One candidate per block: `clickbait`, `promo`, or nil for no opinion.
    public static func candidates(_ page: SegmentedPage) -> [Label?] {
        let blocks = page.blocks
        guard page.format == .html else { return Array(repeating: nil, count: blocks.count) }
        let site = page.url.flatMap { URL(string: $0) }
        var labels = [Label?](repeating: nil, count: blocks.count)
        let teaserShaped = blocks.map { isTeaserShaped($0, site: site) }
        // Rails: teaser-shaped blocks that share their parent's template.
        var rails: [UInt64: Int] = [:]
        for (i, block) in blocks.enumerated() where teaserShaped[i] { rails[parentSignature(block), default: 0] += 1 }
        var underSection = false
        for (i, block) in blocks.enumerated() {
            let lower = block.text.lowercased()
            if block.linkTarget == nil && block.words <= 5 {
                underSection = sectionLabels.contains { lower.hasPrefix($0) }
            } else if !teaserShaped[i] && block.linkTarget == nil {
                underSection = false
            }
            if isPromo(block, lower: lower) {
                labels[i] = .promo
            } else if teaserShaped[i] && (underSection || rails[parentSignature(block), default: 0] >= templateSiblings) {
                labels[i] = .clickbait
            } else if block.linkTarget != nil && teaserOpenings.contains(where: { lower.hasPrefix($0) }) && block.words >= 4 {
                labels[i] = .clickbait
            }
        }
        return labels
    }

    /// Mostly link text of headline length whose link goes to another page of the same site.
    static func isTeaserShaped(_ block: Block, site: URL?) -> Bool {
        guard let href = block.linkTarget, block.words >= 4, block.words <= 30,
              Double(block.linkChars) >= 0.6 * Double(block.chars) else { return false }
        guard let target = URL(string: href, relativeTo: site)?.absoluteURL else { return false }
        if let site, let host = target.host, let own = site.host, registrable(host) != registrable(own) { return false }
        if let site, target.path == site.path { return false }
        return looksLikeArticle(target.path)
    }

    /// A path with a slug of three or more words, a long number (a date, an id) or an `.html` page.
    static func looksLikeArticle(_ path: String) -> Bool {
        let segments = path.split(separator: "/")
        return segments.contains { segment in
            segment.split(separator: "-").count >= 3 || segment.split(separator: "_").count >= 3
                || segment.filter(\.isNumber).count >= 4 || segment.hasSuffix(".html") || segment.hasSuffix(".htm")
        }
    }

    static func isPromo(_ block: Block, lower: String) -> Bool {
        if block.words <= 14, let href = block.linkTarget, let url = URL(string: href), let host = url.host?.lowercased() {
            if promoHosts.contains(where: { host == $0 || host.hasSuffix("." + $0) }) { return true }
            let path = url.path.lowercased()
            if ["subscribe", "newsletter", "signup", "membership", "donate"].contains(where: { path.contains($0) }) { return true }
        }
        if block.words <= 14 && promoWords.contains(where: { lower.hasPrefix($0) }) { return true }
        let tokens = (block.elementTokens + block.ancestorTokens).map { $0.lowercased() }
        return tokens.contains { token in promoTokens.contains { token.contains($0) } }
    }

    /// The site part of a host: its last two labels, three under a short second-level label (`co.uk`,
    /// `com.au`); no public-suffix list, so an approximation.
    static func registrable(_ host: String) -> String {
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
