public import Postgres

/// Login roles for analysts: members of leadrelay_analyst (the reporting schema, nothing
/// else), and of leadrelay_analyst_pii when they may see personal data unmasked.
public enum AnalystRole {
    public static let readerRole = "leadrelay_analyst"
    public static let personalDataRole = "leadrelay_analyst_pii"

    /// Lower-case letters, digits and underscores, starting with a letter or underscore, at
    /// most 63 bytes (PostgreSQL's identifier limit), and not a pg_ reserved name.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 63, !name.hasPrefix("pg_") else { return false }
        let lower = UInt8(ascii: "a")...UInt8(ascii: "z"), digit = UInt8(ascii: "0")...UInt8(ascii: "9")
        let underscore = UInt8(ascii: "_")
        guard lower.contains(first) || first == underscore else { return false }
        return name.utf8.allSatisfy { lower.contains($0) || digit.contains($0) || $0 == underscore }
    }

    public struct Problem: Error, CustomStringConvertible {
        public let description: String
    }
}

extension Connection {
    /// Creates the login role `name` with `password` and makes it an analyst. The password
    /// is sent only as its verifier; the server quotes both the name (%I) and the verifier
    /// (%L) itself, as utility statements take no parameters. Call inside a transaction.
    public func createAnalystRole(name: String, password: String, personalData: Bool) throws {
        guard AnalystRole.isValidName(name) else {
            throw AnalystRole.Problem(description: "'\(name)' is not a valid role name: use a-z, 0-9 and _, starting with a letter or _")
        }
        if try !query("SELECT 1 FROM pg_roles WHERE rolname = $1", [name]).isEmpty {
            throw AnalystRole.Problem(description: "a role named \(name) already exists; nothing was changed")
        }
        let verifier = try encryptedPassword(password, user: name)
        var roles = [AnalystRole.readerRole]
        if personalData { roles.append(AnalystRole.personalDataRole) }
        try execute(try query("SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', $1::text, $2::text)", [name, verifier])[0].decode(0))
        for role in roles {
            try execute(try query("SELECT format('GRANT %I TO %I', $1::text, $2::text)", [role, name])[0].decode(0))
        }
    }
}
