/// How failed jobs are retried.
public struct RetryPolicy: Sendable {
    /// Failures after which a job goes to the dead letters. Default: 10.
    public var maxAttempts: Int
    /// Backoff after the first failure; it doubles with each further one. Default: 1 s.
    public var baseDelay: Duration
    /// The longest backoff. Default: 1 hour.
    public var maxDelay: Duration

    public init(maxAttempts: Int = 10, baseDelay: Duration = .seconds(1), maxDelay: Duration = .seconds(3600)) {
        precondition(maxAttempts >= 1, "a job gets at least one attempt")
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// Exponential backoff with "equal jitter": half the step is fixed, half is random,
    /// so retries of a batch that failed together spread out instead of failing together again.
    public func delay(afterAttempt attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let exponent = min(max(attempt - 1, 0), 40)
        let step = min(baseDelay * (1 << exponent), maxDelay)
        let half = step / 2
        return half + half * Double.random(in: 0...1, using: &generator)
    }
}
