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
    /// With one job everything runs on the calling thread.
    public func run<Result: Sendable>(_ sources: [PageSource], work: @escaping @Sendable (PageSource) throws -> Result,
                                      emit: (Result) throws -> Void) rethrows -> [InputError] {
        var failures: [InputError] = []
        guard jobs > 1 && sources.count > 1 else {
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
        let window = ReorderWindow<Result>(count: sources.count, limit: jobs * windowPerJob)
        let workers = DispatchGroup()
        for _ in 0..<min(jobs, sources.count) {
            workers.enter()
            let thread = Thread {
                while let i = window.take() { window.put(i, Batch.attempt(work, sources[i])) }
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
        for i in sources.indices {
            switch window.next(i) {
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

/// The results between the workers and the calling thread: workers take indices in order while fewer
/// than `limit` are waiting to be handed on, and the caller takes results back in index order.
final class ReorderWindow<Result>: @unchecked Sendable {
    private let condition = NSCondition()
    private let count: Int, limit: Int
    private var taken = 0, handedOn = 0, stopped = false
    private var done: [Int: Swift.Result<Result, InputError>] = [:]

    init(count: Int, limit: Int) {
        self.count = count
        self.limit = max(1, limit)
    }

    /// The next index to work on, waiting while the window is full; nil when all are taken or stopped.
    func take() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while !stopped && taken < count && taken - handedOn >= limit { condition.wait() }
        guard !stopped && taken < count else { return nil }
        taken += 1
        return taken - 1
    }

    /// Stores the result of index `i`.
    func put(_ i: Int, _ result: Swift.Result<Result, InputError>) {
        condition.lock()
        done[i] = result
        condition.broadcast()
        condition.unlock()
    }

    /// The result of index `i` (the next in order), waiting until it is done.
    func next(_ i: Int) -> Swift.Result<Result, InputError> {
        condition.lock()
        defer { condition.unlock() }
        while done[i] == nil { condition.wait() }
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
