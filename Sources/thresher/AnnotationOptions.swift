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

    /// The annotations, loaded once; nil without --annotations.
    func load() throws -> Annotations? {
        guard let annotations else { return nil }
        do { return try Annotations.load(folder: annotations) } catch let error as InputError {
            printError("thresher: \(error)")
            throw ExitStatus.usage
        }
    }

    /// Whether a page stays under --only-half and --exclude-half.
    func keeps(_ page: SegmentedPage, in annotations: Annotations?) -> Bool {
        let half = annotations?.half(of: page)?.rawValue
        if let onlyHalf, half != onlyHalf { return false }
        if let excludeHalf, half == excludeHalf { return false }
        return true
    }
}

/// Totals of merging annotations into a batch of pages, printed as one line.
struct AnnotationTally {
    var pages = 0
    var merge = Annotations.Merge()

    mutating func add(_ page: inout SegmentedPage, _ annotations: Annotations?) {
        guard let annotations, annotations.half(of: page) != nil else { return }
        let merge = annotations.merge(into: &page)
        pages += 1
        self.merge.applied += merge.applied
        self.merge.goldKept += merge.goldKept
        self.merge.stale += merge.stale
    }

    /// The summary line, nil when no page was annotated.
    var line: String? {
        guard pages > 0 else { return nil }
        return "annotations: \(pages) pages, \(merge.applied) marks applied, \(merge.goldKept) left to editorial or comment gold, \(merge.stale) stale (block index or text changed)"
    }
}
