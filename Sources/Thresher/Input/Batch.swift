import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Processes many pages in parallel while keeping their input order: pages are taken in chunks, a
/// chunk is worked on by `jobs` threads, and its results are handed on in order before the next chunk.
/// Memory is bounded by the chunk, not by the number of pages.
public struct Batch: Sendable {
    public var jobs: Int
    /// Stop at the first failed page instead of going on.
    public var failFast: Bool

    /// A batch on `jobs` threads (at least one).
    public init(jobs: Int, failFast: Bool = false) {
        self.jobs = max(1, jobs)
        self.failFast = failFast
    }

    /// Runs `work` on every source and `emit` on each result in input order; returns the failures.
    public func run<Result: Sendable>(_ sources: [PageSource], work: @escaping @Sendable (PageSource) throws -> Result,
                                      emit: (Result) throws -> Void) rethrows -> [InputError] {
        var failures: [InputError] = []
        let chunkSize = jobs == 1 ? 1 : jobs * 16
        var start = 0
        while start < sources.count {
            let chunk = Array(sources[start..<min(start + chunkSize, sources.count)])
            let results = Slots<Swift.Result<Result, InputError>>(count: chunk.count)
            // Threads take the next page as they finish one, so a big page does not hold the others up.
            let next = Counter()
            DispatchQueue.concurrentPerform(iterations: min(jobs, chunk.count)) { _ in
                while case let i = next.take(), i < chunk.count {
                    do { results[i] = .success(try work(chunk[i])) } catch let error as InputError {
                        results[i] = .failure(error)
                    } catch {
                        results[i] = .failure(InputError(chunk[i].name, "\(error)"))
                    }
                }
            }
            for i in chunk.indices {
                switch results[i]! {
                case .success(let value): try emit(value)
                case .failure(let error):
                    failures.append(error)
                    if failFast { return failures }
                }
            }
            start += chunk.count
        }
        return failures
    }
}

/// A shared counter that hands out 0, 1, 2, ... to threads.
final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = Mutex()

    func take() -> Int {
        lock.locked {
            defer { value += 1 }
            return value
        }
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
