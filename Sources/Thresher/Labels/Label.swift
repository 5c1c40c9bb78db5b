/// The five kinds of block Thresher tells apart.
public enum Label: String, CaseIterable, Sendable, Codable {
    /// The article or main content itself.
    case editorial
    /// Page chrome: navigation, section labels, bylines, buttons, repeats.
    case boilerplate
    /// Calls to action and advertising.
    case promo
    /// Teaser headlines of other content.
    case clickbait
    /// User comments, reviews, forum replies.
    case comment

    /// Parses a label name, accepting only the five known labels.
    public static func named(_ name: String) -> Label? { Label(rawValue: name) }
}
