import CSystemMemory
import Dispatch
import Foundation

/// Work started on another thread now and collected later: how the review uses the second core (input hashes
/// beside the import, asset classification beside the access analysis, the worksheet beside the other reports).
///
/// The result is written by the worker before it leaves the dispatch group and read only after waiting on it.
public final class BackgroundWork<Value: Sendable>: @unchecked Sendable {
    private let group = DispatchGroup()
    private var result: Result<Value, any Error>?

    public init(_ work: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global().async(group: group) { self.result = Result { try work() } }
    }

    /// Waits for the work to finish (again and again: later calls return at once).
    public func wait() { group.wait() }

    /// The work's value, waiting for it; rethrows what the work threw.
    public func value() throws -> Value {
        group.wait()
        return try result!.get()
    }
}

/// Work split into numbered pieces run on every core, each piece's result kept in its own slot: how the import reads
/// groups of files, the model sort orders its collections, the engine runs rules and the worksheet renders blocks.
public enum Parallel {
    /// `body(0) … body(count - 1)` on the available cores (pieces are handed out in index order, each to the next
    /// free worker), results in index order.
    public static func map<T>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        let slots = Slots<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { slots.set($0, body($0)) }
        return slots.values
    }

    /// One slot per piece, written once by the worker that ran it and read after every worker is done.
    private final class Slots<T>: @unchecked Sendable {
        private let lock = NSLock()
        private var slots: [T?]

        init(count: Int) { slots = Array(repeating: nil, count: count) }

        func set(_ index: Int, _ value: T) {
            lock.lock()
            slots[index] = value
            lock.unlock()
        }

        var values: [T] {
            lock.lock()
            defer { lock.unlock() }
            return slots.map { $0! }
        }
    }
}

/// A value handed once from one thread to another: `set` once, `value()` waits for it (any number of times).
///
/// How the analysis's worker thread receives the principal numbering the main thread makes, how the asset
/// classification run on that worker comes back to the engine, and how the input hashes computed beside the import
/// reach the review. The semaphore orders the write before every read.
public final class Handoff<Value: Sendable>: @unchecked Sendable {
    private let ready = DispatchSemaphore(value: 0)
    private var stored: Value?

    public init() {}

    /// Stores the value and wakes the readers; call it once.
    public func set(_ value: Value) {
        stored = value
        ready.signal()
    }

    /// The value, waiting until it is set.
    public func value() -> Value {
        ready.wait()
        defer { ready.signal() }
        return stored!
    }
}

/// A pointer handed to workers that each write their own part of what it points to (the parts never overlap, and
/// the owner reads them only after every worker is done).
public struct SendablePointer<Pointee>: @unchecked Sendable {
    public let base: UnsafeMutablePointer<Pointee>

    public init(_ base: UnsafeMutablePointer<Pointee>) { self.base = base }
}

/// The process's heap.
public enum SystemMemory {
    /// Hands the memory the allocator holds free back to the system (glibc keeps what a worker thread freed in that
    /// thread's arena, where it still counts as resident). Call it after a worker's transient tables are gone and
    /// before a large allocation: the enterprise analysis's peak otherwise counts a hundred megabytes of them.
    public static func releaseFreed() { accessrisk_release_free_memory() }

    /// Large blocks (up to 32 MiB) come from the heap, which grows 64 MiB at a time, instead of fresh mappings: one
    /// freed is reused by the next instead of being unmapped and faulted in again. On a virtual machine a page the
    /// guest had not used was the costliest part of a fault. Called once, at the start of the process (an enterprise
    /// review: 15% fewer page faults, the same peak).
    public static func reuseLargeBlocks() { accessrisk_reuse_large_blocks() }
}
