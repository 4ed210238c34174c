public import Foundation

/// Settings of the HTTP server, each readable from the environment.
public struct APIConfiguration: Sendable {
    /// Address to bind. Default "127.0.0.1" (`LEADRELAY_HTTP_HOST`).
    public var host: String
    /// Port to bind; 0 picks a free one. Default 8080 (`LEADRELAY_HTTP_PORT`).
    public var port: Int
    /// Largest request body in bytes; larger ones get 413. Default 4 MiB (`LEADRELAY_MAX_BODY_BYTES`).
    public var maxBodyBytes: Int
    /// Most records in one request; more get 413. Default 1,000 (`LEADRELAY_MAX_BATCH`).
    public var maxBatch: Int
    /// How long a verified API key is trusted before it is checked again, so that a
    /// revoked key stops working within this time. Default 30 s.
    public var keyCacheSeconds: Double
    /// How many intake transactions may be in flight at once. Requests that arrive while
    /// they are share the next one (group commit), so a few are enough, and each holds a
    /// database connection while it commits. Default 2 (`LEADRELAY_INTAKE_COMMITS`).
    public var intakeCommitLanes: Int

    public init(
        host: String = "127.0.0.1", port: Int = 8080, maxBodyBytes: Int = 4 << 20, maxBatch: Int = 1_000,
        keyCacheSeconds: Double = 30, intakeCommitLanes: Int = 2
    ) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.maxBatch = maxBatch
        self.keyCacheSeconds = keyCacheSeconds
        self.intakeCommitLanes = intakeCommitLanes
    }

    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> APIConfiguration {
        var configuration = APIConfiguration()
        if let host = environment["LEADRELAY_HTTP_HOST"] { configuration.host = host }
        if let port = environment["LEADRELAY_HTTP_PORT"].flatMap(Int.init) { configuration.port = port }
        if let bytes = environment["LEADRELAY_MAX_BODY_BYTES"].flatMap(Int.init) { configuration.maxBodyBytes = bytes }
        if let batch = environment["LEADRELAY_MAX_BATCH"].flatMap(Int.init) { configuration.maxBatch = batch }
        if let lanes = environment["LEADRELAY_INTAKE_COMMITS"].flatMap(Int.init), lanes > 0 { configuration.intakeCommitLanes = lanes }
        return configuration
    }
}
