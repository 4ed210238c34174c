public import Foundation
public import Postgres

/// What an API key may do.
public struct APIScope: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Send leads and activities.
    public static let ingest = APIScope(rawValue: "ingest")
    /// Report outcomes and sales activities back.
    public static let feedback = APIScope(rawValue: "feedback")
    /// Everything, including key management.
    public static let admin = APIScope(rawValue: "admin")

    public static let all: [APIScope] = [.ingest, .feedback, .admin]
    public var description: String { rawValue }
}

/// A key as the database knows it: never the key itself.
public struct APIKeyInfo: Sendable {
    public let name: String
    public let prefix: String
    public let scopes: Set<APIScope>
    public let createdAt: Date
    public let revokedAt: Date?
}

extension Connection {
    /// Makes a key, stores its SHA-256 and returns the key, which is never stored or shown again.
    public func createAPIKey(name: String, scopes: Set<APIScope>) throws -> String {
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        let key = "lr_" + secret
        try query("""
            INSERT INTO api_keys (name, key_prefix, key_hash, scopes)
            VALUES ($1, $2, encode(sha256(convert_to($3, 'UTF8')), 'hex'), $4::text[])
            """, [name, String(key.prefix(10)), key, scopes.map(\.rawValue).sorted()])
        return key
    }

    /// The name and scopes of a live key, or nil for an unknown or revoked one.
    public func apiKey(matching key: String) throws -> (name: String, scopes: Set<APIScope>)? {
        guard let row = try query("""
            SELECT name, scopes FROM api_keys
            WHERE key_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex') AND revoked_at IS NULL
            """, [key]).first else { return nil }
        return (try row.decode(0), Set(try row.decode(1, as: [String].self).map(APIScope.init(rawValue:))))
    }

    /// Revokes a key by name. Returns false when there is no live key of that name.
    public func revokeAPIKey(name: String) throws -> Bool {
        try query("UPDATE api_keys SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL", [name]).affectedRows == 1
    }

    public func apiKeys() throws -> [APIKeyInfo] {
        try query("SELECT name, key_prefix, scopes, created_at, revoked_at FROM api_keys ORDER BY name").map { row in
            APIKeyInfo(
                name: try row.decode(0), prefix: try row.decode(1),
                scopes: Set(try row.decode(2, as: [String].self).map(APIScope.init(rawValue:))),
                createdAt: try row.decode(3), revokedAt: try row.decode(4)
            )
        }
    }
}
