import Foundation

/// Processes many pages in parallel while keeping their input order: worker threads take pages one
/// after another with no barrier between them, and the calling thread hands each result on as soon as
/// it and every result before it are done (a bounded reorder window), so output overlaps the work.
/// Memory is bounded by the window, not by the number of pages.
public struct Batch: Sendable {
    public var jobs: Int
    /// Stop at the first failed page instead of going on.
    public var failFast: Bool
    /// Pages taken but not yet handed on, per job: how far a fast thread may run ahead of a slow page.
    public var windowPerJob = 16

    /// A batch on `jobs` threads (at least one).
    public init(jobs: Int, failFast: Bool = false) {
        self.jobs = max(1, jobs)
        self.failFast = failFast
    }

    /// Runs `work` on every source and `emit` on each result in input order; returns the failures.
    /// With one job everything runs on the calling thread. The sources are taken one at a time as the
    /// workers need them, so a lazy sequence (a `PageStream` over an archive or a pipe) is never listed whole.
    public func run<Sources: Sequence, Result: Sendable>(_ sources: Sources, work: @escaping @Sendable (PageSource) throws -> Result,
                                                         emit: (Result) throws -> Void) rethrows -> [InputError] where Sources.Element == PageSource {
        var failures: [InputError] = []
        guard jobs > 1 else {
            for source in sources {
                switch Batch.attempt(work, source) {
                case .success(let value): try emit(value)
                case .failure(let error):
                    failures.append(error)
                    if failFast { return failures }
                }
            }
            return failures
        }
        let window = ReorderWindow<Result>(sources.makeIterator(), limit: jobs * windowPerJob)
        let workers = DispatchGroup()
        for _ in 0..<jobs {
            workers.enter()
            let thread = Thread {
                while let (i, source) = window.take() { window.put(i, Batch.attempt(work, source)) }
                workers.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        // However the loop ends (done, fail-fast, or `emit` throwing), the workers stop before we return.
        defer {
            window.stop()
            workers.wait()
        }
        var i = 0
        while let result = window.next(i) {
            i += 1
            switch result {
            case .success(let value): try emit(value)
            case .failure(let error):
                failures.append(error)
                if failFast { return failures }
            }
        }
        return failures
    }

    /// The result of `work` on one source; any error becomes an input error naming the source.
    static func attempt<Result>(_ work: (PageSource) throws -> Result, _ source: PageSource) -> Swift.Result<Result, InputError> {
        do { return .success(try work(source)) } catch let error as InputError {
            return .failure(error)
        } catch {
            return .failure(InputError(source.name, "\(error)"))
        }
    }
}

/// The results between the workers and the calling thread: workers take sources in order while fewer
/// than `limit` are waiting to be handed on, and the caller takes results back in index order.
final class ReorderWindow<Result>: @unchecked Sendable {
    private let condition = NSCondition()
    /// Held while a source is taken from the iterator, so sources and their indices pair up in order.
    private let taking = NSLock()
    private var sources: AnyIterator<PageSource>
    private let limit: Int
    private var taken = 0, handedOn = 0, stopped = false
    /// The number of sources, once the iterator has run out.
    private var count: Int?
    private var done: [Int: Swift.Result<Result, InputError>] = [:]

    init<Iterator: IteratorProtocol>(_ sources: Iterator, limit: Int) where Iterator.Element == PageSource {
        var sources = sources
        self.sources = AnyIterator { sources.next() }
        self.limit = max(1, limit)
    }

    /// The next source and its index, waiting while the window is full; nil when all are taken or stopped.
    func take() -> (Int, PageSource)? {
        taking.lock()
        defer { taking.unlock() }
        condition.lock()
        while !stopped && count == nil && taken - handedOn >= limit { condition.wait() }
        let closed = stopped || count != nil
        condition.unlock()
        if closed { return nil }
        // Reading the next source (a WARC record, a line of a pipe) may block: outside the condition's lock.
        let source = sources.next()
        condition.lock()
        defer { condition.unlock() }
        guard let source else {
            count = taken
            condition.broadcast()
            return nil
        }
        taken += 1
        return (taken - 1, source)
    }

    /// Stores the result of index `i`.
    func put(_ i: Int, _ result: Swift.Result<Result, InputError>) {
        condition.lock()
        done[i] = result
        condition.broadcast()
        condition.unlock()
    }

    /// The result of index `i` (the next in order), waiting until it is done; nil after the last one.
    func next(_ i: Int) -> Swift.Result<Result, InputError>? {
        condition.lock()
        defer { condition.unlock() }
        while done[i] == nil {
            if let count, i >= count { return nil }
            condition.wait()
        }
        handedOn = i + 1
        condition.broadcast()
        return done.removeValue(forKey: i)!
    }

    /// Lets the workers finish the page they hold and take no more.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Fixed slots that worker threads fill at distinct indices.
final class Slots<Value>: @unchecked Sendable {
    private var values: [Value?]

    init(count: Int) { values = Array(repeating: nil, count: count) }

    subscript(index: Int) -> Value? {
        get { values[index] }
        set { values.withUnsafeMutableBufferPointer { $0[index] = newValue } }
    }
}

/// A pthread mutex with a closure interface.
final class Mutex: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func locked<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}
