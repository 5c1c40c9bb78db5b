import ArgumentParser
import Thresher

/// Options of the commands that read labelled pages: the hand-marked teasers and promos to merge into
/// the corpus pages' gold labels, and which of their halves to use.
struct AnnotationOptions: ParsableArguments {
    @Option(help: "Folder of hand-marked teasers and promos (TrainingData/annotations): merged into the gold labels of the corpus pages it lists.")
    var annotations: String?

    @Option(help: "Only the annotated pages of this half (train or eval), e.g. to measure on the evaluation half.")
    var onlyHalf: String?

    @Option(help: "Leave out the annotated pages of this half (train or eval), e.g. the evaluation half when training.")
    var excludeHalf: String?

    func validate() throws {
        for half in [onlyHalf, excludeHalf].compactMap({ $0 }) where Annotations.Half(rawValue: half) == nil {
            throw ValidationError("a half is train or eval, not \(half)")
        }
        if (onlyHalf != nil || excludeHalf != nil) && annotations == nil {
            throw ValidationError("--only-half and --exclude-half need --annotations")
        }
    }

    /// The filter that merges the annotations into pages and applies the half options; it loads the
    /// annotations once (none without --annotations).
    func filter() throws -> AnnotationFilter {
        guard let annotations else { return .none }
        do {
            return AnnotationFilter(annotations: try Annotations.load(folder: annotations), onlyHalf: onlyHalf, excludeHalf: excludeHalf)
        } catch let error as InputError {
            printError("thresher: \(error)")
            throw ExitStatus.usage
        }
    }
}

/// Merges annotations into a batch of labelled pages, drops the pages of a half left out, and counts
/// what the merge did for one summary line.
struct AnnotationFilter {
    let annotations: Annotations?
    let onlyHalf: String?
    let excludeHalf: String?
    private var pages = 0
    private var merge = Annotations.Merge()

    /// No annotations: every page passes as it is.
    static let none = AnnotationFilter(annotations: nil, onlyHalf: nil, excludeHalf: nil)

    init(annotations: Annotations?, onlyHalf: String?, excludeHalf: String?) {
        self.annotations = annotations
        self.onlyHalf = onlyHalf
        self.excludeHalf = excludeHalf
    }

    /// The page with its marks merged in, or nil for a page that --only-half or --exclude-half leaves out.
    mutating func admit(_ page: SegmentedPage) -> SegmentedPage? {
        guard let annotations else { return page }
        let half = annotations.half(of: page)?.rawValue
        if let onlyHalf, half != onlyHalf { return nil }
        if let excludeHalf, half == excludeHalf { return nil }
        guard half != nil else { return page }
        var page = page
        let merge = annotations.merge(into: &page)
        pages += 1
        self.merge.applied += merge.applied
        self.merge.goldKept += merge.goldKept
        self.merge.stale += merge.stale
        return page
    }

    /// Whether the annotations hold marks for this page (it is in one of the halves).
    func marks(_ page: SegmentedPage) -> Bool {
        annotations?.half(of: page) != nil
    }

    /// The summary line, nil when no page was annotated.
    var line: String? {
        guard pages > 0 else { return nil }
        return "annotations: \(pages) pages, \(merge.applied) marks applied, \(merge.goldKept) left to editorial or comment gold, \(merge.stale) stale (block index or text changed)"
    }
}
