import Dispatch

/// A value handed once from one thread to another: `set` once, `value()` waits for it (any number of times).
///
/// How the analysis's worker thread, once the group closures are done, receives the principal numbering the main
/// thread makes, and how the asset classification run on that worker comes back to the engine. The semaphore orders
/// the write before every read.
final class Handoff<Value: Sendable>: @unchecked Sendable {
    private let ready = DispatchSemaphore(value: 0)
    private var stored: Value?

    /// Stores the value and wakes the readers; call it once.
    func set(_ value: Value) {
        stored = value
        ready.signal()
    }

    /// The value, waiting until it is set.
    func value() -> Value {
        ready.wait()
        defer { ready.signal() }
        return stored!
    }
}
