import Foundation
import Intake
import LeadStore
import Postgres

/// The NOTIFY channels on which new assignments are announced, when their transaction
/// commits.
///
/// - `leadrelay_assignments` carries every assignment.
/// - `leadrelay_rep_<rep>` carries one rep's, where `<rep>` is the rep id in lower case
///   with every character other than a–z, 0–9 and `_` turned into `_`, and the whole name
///   cut to PostgreSQL's 63-byte limit: `marcus.oyelaran@northwind.example` listens on
///   `leadrelay_rep_marcus_oyelaran_northwind_example`. Two ids can share a channel that
///   way, so a listener keeps only the entries with its own `rep_id`.
///
/// A payload is a JSON array, `[{"assignment_id": 17, "lead_id": 4711, "rep_id": "…"}, …]`:
/// one NOTIFY per channel per transaction, never one per assignment, because NOTIFY
/// serializes commits. A batch whose array would pass PostgreSQL's 8000-byte payload limit
/// is split over several NOTIFYs on the same channel.
public enum HandoffChannel {
    public static let assignments = "leadrelay_assignments"

    public static func rep(_ id: String) -> String {
        var name = "leadrelay_rep_"
        for scalar in id.lowercased().unicodeScalars {
            let keep = ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_"
            name.unicodeScalars.append(keep ? scalar : "_")
        }
        return String(name.prefix(63))
    }

    /// One entry of a payload.
    public struct Entry: Codable, Sendable, Hashable {
        public let assignmentID: Int64
        public let leadID: Int64
        public let repID: String

        enum CodingKeys: String, CodingKey {
            case assignmentID = "assignment_id"
            case leadID = "lead_id"
            case repID = "rep_id"
        }
    }

    /// Reads a payload; nil if it is not one.
    public static func entries(in payload: String) -> [Entry]? {
        try? JSONDecoder().decode([Entry].self, from: Data(payload.utf8))
    }
}

enum HandoffNotifications {
    /// Payload bytes per NOTIFY, under PostgreSQL's limit of 8000.
    static let payloadLimit = 7_900

    /// The NOTIFYs of new assignments, on the global channel and each rep's; nil for none.
    static func statement(for assignments: [AssignmentRef]) -> Statement? {
        guard !assignments.isEmpty else { return nil }
        var channels: [String] = []
        var payloads: [String] = []
        func add(_ channel: String, _ refs: [AssignmentRef]) {
            for payload in chunks(of: refs) {
                channels.append(channel)
                payloads.append(payload)
            }
        }
        add(HandoffChannel.assignments, assignments)
        for (rep, refs) in Dictionary(grouping: assignments, by: \.rep).sorted(by: { $0.key < $1.key }) {
            add(HandoffChannel.rep(rep), refs)
        }
        return notify(channels: channels, payloads: payloads)
    }

    /// Every NOTIFY of a transaction in one statement: PostgreSQL delivers them at commit.
    static func notify(channels: [String], payloads: [String]) -> Statement {
        Statement("SELECT pg_notify(n.channel, n.payload) FROM unnest($1::text[], $2::text[]) AS n(channel, payload)",
                  [channels, payloads])
    }

    /// JSON arrays of the entries, each under `payloadLimit` bytes.
    static func chunks(of refs: [AssignmentRef]) -> [String] {
        pack(refs.map { ref in
            var entry = #"{"assignment_id":\#(ref.id),"lead_id":\#(ref.leadID),"rep_id":"#
            JSONText.appendQuoted(ref.rep, to: &entry)
            return entry + "}"
        }, prefix: "[", suffix: "]")
    }

    /// Joins JSON entries with commas between `prefix` and `suffix`, starting a new
    /// payload whenever the next entry would pass `payloadLimit` bytes.
    static func pack(_ entries: [String], prefix: String, suffix: String) -> [String] {
        let frame = prefix.utf8.count + suffix.utf8.count
        var result: [String] = []
        var current = ""
        for entry in entries {
            if !current.isEmpty, frame + current.utf8.count + 1 + entry.utf8.count > payloadLimit {
                result.append(prefix + current + suffix)
                current = ""
            }
            current += (current.isEmpty ? "" : ",") + entry
        }
        if !current.isEmpty { result.append(prefix + current + suffix) }
        return result
    }
}
