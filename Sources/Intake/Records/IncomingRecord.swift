public import Foundation

/// A JSON object that is either a lead or an activity, as found in a mixed JSONL stream.
///
/// The rule: an object with a `type` key is an activity, any other object is a lead. Leads have
/// no `type` field, so the rule never misreads a valid record; a lead sent with a stray `type`
/// is read as an activity and rejected for its lead-only keys, which names the mistake.
public enum IncomingRecord: Sendable, Hashable, Decodable {
    case lead(IncomingLead)
    case activity(IncomingActivity)

    public init(from decoder: any Decoder) throws {
        let container: KeyedDecodingContainer<JSONKey>
        do {
            container = try decoder.container(keyedBy: JSONKey.self)
        } catch {
            throw IntakeRejection([StrictJSONObject.notAnObject])
        }
        if container.contains(JSONKey(ActivityField.type.name)) {
            self = .activity(try IncomingActivity(from: decoder))
        } else {
            self = .lead(try IncomingLead(from: decoder))
        }
    }

    /// Decodes one JSON object as a lead or activity by the rule above.
    public static func decode(json: Data) throws(IntakeRejection) -> IncomingRecord {
        try StrictJSONObject.decode(IncomingRecord.self, from: json)
    }
}
