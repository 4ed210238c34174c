import Dispatch

/// A serial executor over a private dispatch queue.
///
/// libpq calls block. Running them on the cooperative pool would tie up one of its few
/// threads per waiting query, so every connection runs on its own queue instead.
final class DispatchQueueExecutor: SerialExecutor {
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
