import LeadStore
import Testing

/// A person's typed e-mail finds the lead ingest stored: the same trimming, case and
/// composed form.
@Suite struct LeadKeyTests {
    @Test func aTypedEmailIsNormalizedAsIngestStoresIt() {
        #expect(LeadKey.storedEmail("  Ada@Acme.IO \n") == "ada@acme.io")
        #expect(Array(LeadKey.storedEmail("Jose\u{301}@Cafe\u{301}.example").utf8) == Array("jos\u{E9}@caf\u{E9}.example".utf8))
    }
}
