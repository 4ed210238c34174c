import Foundation
import HTTPTypes
import Hummingbird
import LeadStore
import Postgres
import Synchronization

/// Checks the API key of a request against the stored hashes, with a short cache so that
/// a busy intake does not ask the database once per request.
final class APIKeyAuthenticator: Sendable {
    private struct Entry {
        let scopes: Set<APIScope>?
        let checkedAt: ContinuousClock.Instant
    }

    private let pool: ConnectionPool
    private let ttl: Duration
    private let cache = Mutex<[String: Entry]>([:])

    init(pool: ConnectionPool, ttlSeconds: Double) {
        self.pool = pool
        self.ttl = .milliseconds(Int(ttlSeconds * 1000))
    }

    /// Throws 401 without a valid key and 403 without `scope` (admin may do anything).
    func require(_ scope: APIScope, for request: Request) async throws {
        guard let key = Self.key(from: request) else { throw APIError.unauthorized() }
        let scopes = try await scopes(of: key)
        guard let scopes else { throw APIError.unauthorized() }
        guard scopes.contains(scope) || scopes.contains(.admin) else { throw APIError.forbidden(scope.rawValue) }
    }

    private func scopes(of key: String) async throws -> Set<APIScope>? {
        let now = ContinuousClock.now
        if let entry = cache.withLock({ $0[key] }), now - entry.checkedAt < ttl { return entry.scopes }
        let scopes = try await pool.withConnection { try await $0.scopes(ofAPIKey: key) }
        cache.withLock { cache in
            if cache.count > 10_000 { cache.removeAll() }
            cache[key] = Entry(scopes: scopes, checkedAt: now)
        }
        return scopes
    }

    private static func key(from request: Request) -> String? {
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            return String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        }
        if let name = HTTPField.Name("X-API-Key"), let key = request.headers[name] { return key }
        return nil
    }
}
