/// The layout of the feature vector: which group sits where, with a version stored in every model so
/// a model never runs on features it was not trained with. Change anything here: bump `version`.
public enum FeatureSet {
    /// Bumped whenever a feature is added, removed, moved or computed differently.
    public static let version = 5

    /// Tags with their own indicator (anything else sets `tag=other`).
    static let tags = ["p", "div", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "section",
                       "article", "header", "footer", "nav", "aside", "figcaption", "figure", "dd", "dt", "button", "option",
                       "form", "body", "main", "ul", "table", "center", "address", "line"]
    /// Elements whose presence on the tag path is a feature.
    static let pathTags = ["nav", "header", "footer", "aside", "article", "main", "form", "ul", "ol", "table", "figure",
                           "section", "button", "select", "blockquote", "h1"]
    /// Words in class and id names that the prototype found telling; each is a feature for the element
    /// and one for its ancestors (a token contains the word, so `site-nav__item` has `nav`).
    static let keywords = ["nav", "menu", "footer", "header", "related", "promo", "share", "social", "comment", "reply",
                           "ad", "ads", "advert", "sponsor", "newsletter", "subscribe", "signup", "cookie", "consent",
                           "banner", "sidebar", "widget", "teaser", "recommend", "popular", "trending", "most", "article",
                           "content", "body", "story", "post", "entry", "main", "text", "caption", "byline", "author",
                           "date", "time", "meta", "breadcrumb", "tag", "login", "copyright", "review", "rating", "title",
                           "headline", "summary", "lead", "list", "card", "item", "link", "button", "btn", "modal",
                           "popup", "hidden", "footnote", "user", "avatar", "app", "download", "follow", "outbrain", "taboola"]
    static let contextNames = ["prev_log_chars", "prev_link_density", "prev_stop_words", "prev_ends_sentence", "prev_dated",
                               "next_log_chars", "next_link_density", "next_stop_words", "next_ends_sentence", "next_dated",
                               "prev2_log_chars", "prev2_link_density", "prev2_stop_words", "prev2_ends_sentence", "prev2_dated",
                               "next2_log_chars", "next2_link_density", "next2_stop_words", "next2_ends_sentence", "next2_dated",
                               "chars_over_longest", "log_duplicates", "is_later_repeat", "same_tag_as_prev",
                               "same_tag_as_next", "window_log_words", "window_link_density"]
    static let positionNames = ["relative_position", "relative_position_squared", "distance_to_densest_run",
                                "in_densest_run", "log_depth", "is_text_scrape", "log_page_blocks"]

    /// Features a model trained on text scrapes alone goes without: the page's length tells the few
    /// hand-written scrapes (short, and the only ones with promo and clickbait lines) from the thousands
    /// derived from real pages, and a model using it learns "a short page's prose is promo".
    static var notForTextModels: [Int] { [position + positionNames.firstIndex(of: "log_page_blocks")!] }

    static let classBuckets = 128
    static let wordBuckets = 512
    static let charBuckets = 128

    // Offsets of each group, in the order the vector holds them.
    static let shape = 0
    static let tag = shape + Shape.names.count
    static let path = tag + tags.count + 1
    static let elementKeywords = path + pathTags.count
    static let ancestorKeywords = elementKeywords + keywords.count
    static let outerKeywords = ancestorKeywords + keywords.count
    static let elementClasses = outerKeywords + keywords.count
    static let ancestorClasses = elementClasses + classBuckets
    static let position = ancestorClasses + classBuckets
    static let context = position + positionNames.count
    static let container = context + contextNames.count
    static let template = container + ContainerStats.names.count
    static let words = template + TemplateCopies.names.count
    static let chars = words + wordBuckets
    /// Length of the feature vector.
    public static let dimension = chars + charBuckets

    /// The name of every feature, in vector order (hashed buckets as `group[k]`).
    public static var names: [String] {
        var names = Shape.names
        names += tags.map { "tag=\($0)" } + ["tag=other"]
        names += pathTags.map { "path_has=\($0)" }
        names += keywords.map { "class_has=\($0)" } + keywords.map { "ancestor_class_has=\($0)" }
        names += keywords.map { "outer_class_has=\($0)" }
        names += (0..<classBuckets).map { "class_hash[\($0)]" } + (0..<classBuckets).map { "ancestor_class_hash[\($0)]" }
        names += positionNames + contextNames + ContainerStats.names + TemplateCopies.names
        names += (0..<wordBuckets).map { "word_ngram_hash[\($0)]" } + (0..<charBuckets).map { "char_ngram_hash[\($0)]" }
        return names
    }
}
