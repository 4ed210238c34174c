import Foundation
import LeadDomain
import LeadStore
import Postgres
import Synchronization

/// The active rule set as a worker uses it (a scorer, a router, the rules themselves),
/// read in the caller's transaction and compiled once per version.
///
/// Reading the active version in the batch's own transaction means that a worker notices a
/// new version with its next batch, without a restart, and never works with a version
/// older than the one active when its batch began.
final class ActiveRules<Compiled: Sendable>: Sendable {
    private let cache = Mutex<(version: Int, compiled: Compiled)?>(nil)
    private let compile: @Sendable (RuleSet, Int) -> Compiled

    /// - Parameter compile: what a worker makes of a version's rule set, given its number.
    init(_ compile: @escaping @Sendable (RuleSet, Int) -> Compiled) {
        self.compile = compile
    }

    func current(on connection: isolated Connection) throws -> (version: Int, compiled: Compiled) {
        try compiled(version: connection.read(activeRuleVersion), on: connection)
    }

    /// The active version's compiled rules, given the version read with `activeRuleVersion`
    /// (in a round trip with the batch's other reads).
    func compiled(version: Int?, on connection: isolated Connection) throws -> (version: Int, compiled: Compiled) {
        guard let version else { throw ScoringError.noActiveRuleSet }
        if let cached = cache.withLock({ $0 }), cached.version == version { return cached }
        guard let stored = try connection.ruleSet(version: version) else { throw ScoringError.noActiveRuleSet }
        let compiled = compile(try RuleSet(json: Data(stored.definition.utf8), file: "rule set version \(version)"), version)
        cache.withLock { $0 = (version, compiled) }
        return (version, compiled)
    }
}

/// The active rule version, for `ActiveRules.compiled(version:on:)`; nil when none is active.
let activeRuleVersion = Read(Statement("SELECT version FROM rule_sets WHERE is_active")) { rows -> Int? in
    try rows.first?.decode(0)
}
