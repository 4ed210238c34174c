public import Foundation
public import Postgres

/// A stored rule-set version.
public struct StoredRuleSet: Sendable {
    public let version: Int
    /// JSON text, as LeadDomain encoded it.
    public let definition: String
    public let createdBy: String
    public let comment: String?
    public let sourceFile: String?
    public let createdAt: Date
    public let activatedAt: Date?
    public let isActive: Bool
}

/// The channel on which an activation is announced, so that workers reload at once.
public enum RuleSetChannel {
    public static let name = "leadrelay_rules"
}

extension Connection {
    /// Stores a rule set and activates it, unless the active one is identical; returns the
    /// active version and whether it is new. Sends a NOTIFY on `RuleSetChannel` at commit.
    public func applyRuleSet(json: String, createdBy: String, comment: String?, sourceFile: String?) throws -> (version: Int, isNew: Bool) {
        try query("LOCK TABLE rule_sets IN SHARE ROW EXCLUSIVE MODE")
        let checksum: String = try query("SELECT encode(sha256(convert_to($1::jsonb::text, 'UTF8')), 'hex')", [json])[0].decode(0)
        if let active = try query("SELECT version FROM rule_sets WHERE is_active AND checksum = $1", [checksum]).first {
            return (try active.decode(0), false)
        }
        try query("UPDATE rule_sets SET is_active = false WHERE is_active")
        let version: Int = try query("""
            INSERT INTO rule_sets (definition, checksum, created_by, comment, source_file, activated_at, is_active)
            VALUES ($1::jsonb, $2, $3, $4, $5, now(), true)
            RETURNING version
            """, [json, checksum, createdBy, comment, sourceFile])[0].decode(0)
        try notify(RuleSetChannel.name, payload: String(version))
        return (version, true)
    }

    /// Activates an earlier version again (a rollback). Returns false if there is no such version.
    public func activateRuleSet(version: Int) throws -> Bool {
        try query("LOCK TABLE rule_sets IN SHARE ROW EXCLUSIVE MODE")
        guard try query("SELECT 1 FROM rule_sets WHERE version = $1", [version]).first != nil else { return false }
        try query("UPDATE rule_sets SET is_active = false WHERE is_active AND version <> $1", [version])
        try query("UPDATE rule_sets SET is_active = true, activated_at = now() WHERE version = $1", [version])
        try notify(RuleSetChannel.name, payload: String(version))
        return true
    }

    public func activeRuleSet() throws -> StoredRuleSet? {
        try query(Self.ruleSetColumns + " WHERE is_active").first.map(StoredRuleSet.init(row:))
    }

    public func ruleSet(version: Int) throws -> StoredRuleSet? {
        try query(Self.ruleSetColumns + " WHERE version = $1", [version]).first.map(StoredRuleSet.init(row:))
    }

    /// Every version, newest first, without their definitions' text.
    public func ruleSetHistory() throws -> [StoredRuleSet] {
        try query("""
            SELECT version, '{}'::text, created_by, comment, source_file, created_at, activated_at, is_active
            FROM rule_sets ORDER BY version DESC
            """).map(StoredRuleSet.init(row:))
    }

    private static let ruleSetColumns = """
        SELECT version, definition::text, created_by, comment, source_file, created_at, activated_at, is_active FROM rule_sets
        """
}

extension StoredRuleSet {
    init(row: Row) throws {
        version = try row.decode(0)
        definition = try row.decode(1)
        createdBy = try row.decode(2)
        comment = try row.decode(3)
        sourceFile = try row.decode(4)
        createdAt = try row.decode(5)
        activatedAt = try row.decode(6)
        isActive = try row.decode(7)
    }
}
