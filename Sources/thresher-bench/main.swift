// Times Thresher's stages on pages held in memory: libxml2's parse alone (building its tree, and with
// SAX callbacks that do nothing), bytes to blocks (charset + parse + SAX walk, and the old tree
// walk beside it), and bytes to labels (blocks + features + model), on one and two threads.
// Used by Scripts/bench-blocks; prints one line per measurement.
import CLibXML2
import Dispatch
import Foundation
import Thresher

struct Options {
    var manifests: [String] = []
    var model: String?
    var rounds = 5
    /// Time only the features and model on pages segmented beforehand (for profiling).
    var onlyScoring = false
}

func parseArguments() -> Options {
    var options = Options()
    var arguments = CommandLine.arguments.dropFirst()
    while let argument = arguments.popFirst() {
        switch argument {
        case "--model": options.model = arguments.popFirst()
        case "--rounds": options.rounds = Int(arguments.popFirst() ?? "") ?? options.rounds
        case "--only-scoring": options.onlyScoring = true
        case "-h", "--help":
            print("usage: thresher-bench MANIFEST... [--model MODEL] [--rounds N] [--only-scoring]")
            exit(0)
        default: options.manifests.append(argument)
        }
    }
    return options
}

/// Seconds `work` takes over all pages with `threads` threads.
func pass(_ pages: [[UInt8]], threads: Int, _ work: @Sendable ([UInt8]) -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    DispatchQueue.concurrentPerform(iterations: threads) { worker in
        var i = worker
        while i < pages.count {
            work(pages[i])
            i += threads
        }
    }
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Runs `work` over all pages with `threads` threads, `rounds` times; returns the median seconds.
func time(_ pages: [[UInt8]], threads: Int, rounds: Int, _ work: @escaping @Sendable ([UInt8]) -> Void) -> Double {
    median((0..<rounds).map { _ in pass(pages, threads: threads, work) })
}

func median(_ times: [Double]) -> Double {
    times.sorted()[times.count / 2]
}

BLAS.useOneThreadUnlessSet()
let options = parseArguments()
let (sources, errors) = InputExpander(allowOutside: true).expand(options.manifests)
for error in errors { FileHandle.standardError.write(Data("\(error)\n".utf8)) }
// Pages are read and gunzipped before timing: the benchmark measures segmentation, not disk or zlib.
var pages: [[UInt8]] = []
for case .record(let record) in sources {
    guard let data = FileManager.default.contents(atPath: record.htmlPath) else { continue }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/gzip")
    process.arguments = ["-dc", record.htmlPath]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let bytes = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    pages.append([UInt8](bytes.isEmpty ? data : bytes))
}
guard !pages.isEmpty else {
    FileHandle.standardError.write(Data("thresher-bench: no pages to time (give corpus manifests; --help)\n".utf8))
    exit(1)
}
let megabytes = Double(pages.reduce(0) { $0 + $1.count }) / 1e6
print(String(format: "pages %d, HTML %.1f MB, median of %d rounds", pages.count, megabytes, options.rounds))

let scorer = try options.model.map { Scorer(try Model.load($0)) }
/// HTMLSegmenter's libxml2 options.
let parseOptions = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue
    | HTML_PARSE_COMPACT.rawValue | HTML_PARSE_IGNORE_ENC.rawValue) | Int32(XML_PARSE_HUGE.rawValue)
let stages: [(String, @Sendable ([UInt8]) -> Void)] = [
    ("libxml2 parse alone", { bytes in
        var text = Charset.decode(bytes, sniffHTML: true)
        text.withUTF8 { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                if let doc = htmlReadMemory($0, Int32(buffer.count), nil, "UTF-8", parseOptions) {
                    xmlFreeDoc(doc)
                }
            }
        }
    }),
    // The parser with SAX callbacks that do nothing: what segmentation costs libxml2 without a tree.
    ("libxml2 SAX parse alone", { bytes in
        var text = Charset.decode(bytes, sniffHTML: true)
        text.withUTF8 { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                guard let context = htmlCreateMemoryParserCtxt($0, Int32(buffer.count)) else { return }
                var handler = htmlSAXHandler()
                handler.initialized = 1
                context.pointee.sax.pointee = handler
                htmlCtxtUseOptions(context, parseOptions)
                htmlParseDocument(context)
                htmlFreeParserCtxt(context)
            }
        }
    }),
    ("segment, tree walk", { bytes in
        _ = HTMLSegmenter(walksTree: true).blocks(of: Charset.decode(bytes, sniffHTML: true))
    }),
    ("segment (bytes to blocks)", { bytes in
        _ = HTMLSegmenter(walksTree: false).blocks(of: Charset.decode(bytes, sniffHTML: true))
    }),
]
var results: [String: Double] = [:]
for threads in [1, 2] where !options.onlyScoring {
    // Each round times every stage once, so a machine whose speed drifts (a job beside) slows all
    // stages alike instead of the ones that happened to run last.
    var times = [[Double]](repeating: [], count: stages.count)
    for _ in 0..<options.rounds {
        for (stage, (_, work)) in stages.enumerated() { times[stage].append(pass(pages, threads: threads, work)) }
    }
    for (stage, (name, _)) in stages.enumerated() {
        let seconds = median(times[stage])
        results["\(name) \(threads)"] = seconds
        print(String(format: "%-28@ threads %d: %7.1f MB/s %7.0f pages/s", name, threads, megabytes / seconds, Double(pages.count) / seconds))
    }
}
if let scorer {
    // Features and model alone, on pages segmented beforehand.
    let segmented = pages.map { SegmentedPage(id: "", format: .html, blocks: HTMLSegmenter().blocks(of: Charset.decode($0, sniffHTML: true))) }
    let onlyScoring = time(segmented.indices.map { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] }, threads: 1,
                           rounds: options.rounds) { index in
        _ = scorer.score(segmented[Int(index[0]) | Int(index[1]) << 8])
    }
    print(String(format: "%-28@ threads 1: %7.1f MB/s %7.0f pages/s", "features+model alone", megabytes / onlyScoring, Double(pages.count) / onlyScoring))
    for threads in [1, 2] where !options.onlyScoring {
        let seconds = time(pages, threads: threads, rounds: options.rounds) { bytes in
            let blocks = HTMLSegmenter().blocks(of: Charset.decode(bytes, sniffHTML: true))
            _ = scorer.score(SegmentedPage(id: "", format: .html, blocks: blocks))
        }
        print(String(format: "%-28@ threads %d: %7.1f MB/s %7.0f pages/s", "score (blocks+features+model)", threads, megabytes / seconds, Double(pages.count) / seconds))
        let segment = results["segment (bytes to blocks) \(threads)"]!
        print(String(format: "  features and model add %.1f%% to segmenting alone (%d thread%@)", (seconds / segment - 1) * 100, threads, threads == 1 ? "" : "s"))
    }
}
