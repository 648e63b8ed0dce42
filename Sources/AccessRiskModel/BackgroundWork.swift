import Dispatch

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
