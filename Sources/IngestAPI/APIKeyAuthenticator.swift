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
        let key: (name: String, scopes: Set<APIScope>)?
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
    /// Returns the key's name, for the records that say who made a change.
    @discardableResult
    func require(_ scope: APIScope, for request: Request) async throws -> String {
        guard let key = Self.key(from: request) else { throw APIError.unauthorized() }
        guard let known = try await lookUp(key) else { throw APIError.unauthorized() }
        guard known.scopes.contains(scope) || known.scopes.contains(.admin) else { throw APIError.forbidden(scope.rawValue) }
        return known.name
    }

    private func lookUp(_ key: String) async throws -> (name: String, scopes: Set<APIScope>)? {
        let now = ContinuousClock.now
        if let entry = cache.withLock({ $0[key] }), now - entry.checkedAt < ttl { return entry.key }
        let known = try await pool.withConnection { try await $0.apiKey(matching: key) }
        cache.withLock { cache in
            if cache.count > 10_000 { cache.removeAll() }
            cache[key] = Entry(key: known, checkedAt: now)
        }
        return known
    }

    private static func key(from request: Request) -> String? {
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            return String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        }
        if let name = HTTPField.Name("X-API-Key"), let key = request.headers[name] { return key }
        return nil
    }
}
