import Testing
import Intake

@Suite struct JSONLReaderTests {
    static let text = """
        {"email": "Anna@Example.com", "first_name": "Anna", "employees": 250, "country": "DE"}
        {"email": "anna@example.com", "type": "Page View", "url": "/pricing", "occurred_at": "2026-03-01T09:30:00Z"}
        {"email": "broken@example.com", "first_name": 

        [1, 2]
        {"email": "b@example.com", "type": "purchase", "colour": "red"}\r
        {"email": "c@example.com", "type": "webinar_attended"}
        """

    func items(chunkSize: Int) throws -> [IntakeItem<NormalizedRecord>] {
        var reader = JSONLReader(source: BytesChunkSource(Self.text, chunkSize: chunkSize),
                                 leadNormalizer: LeadNormalizer(freeMailDomains: []))
        var items: [IntakeItem<NormalizedRecord>] = []
        while let item = try reader.next() { items.append(item) }
        return items
    }

    @Test func mixedLeadsAndActivitiesWithBadLines() throws {
        let items = try items(chunkSize: 1 << 20)
        #expect(items.map(\.line) == [1, 2, 3, 5, 6, 7])
        guard case .lead(let lead)? = items[0].outcome.record else { Issue.record("expected a lead"); return }
        #expect(lead.email == "anna@example.com" && lead.employees == 250 && lead.countryCode == "DE")
        guard case .activity(let view)? = items[1].outcome.record else { Issue.record("expected an activity"); return }
        #expect(view.type == "page_view" && view.url == "/pricing")
        #expect(items[2].outcome.problems.map(\.description) == ["not valid JSON"])
        #expect(items[2].original.text == #"{"email": "broken@example.com", "first_name": "#)
        #expect(items[3].outcome.problems.map(\.description) == ["not a JSON object"])
        #expect(items[4].outcome.problems.map(\.description) == ["colour: not a field of this API"])
        guard case .activity(let webinar)? = items[5].outcome.record else { Issue.record("expected an activity"); return }
        #expect(webinar.type == "webinar_attended")
    }

    @Test func tinyChunksGiveTheSameResult() throws {
        let whole = try items(chunkSize: 1 << 20)
        for size in 1...7 {
            let tiny = try items(chunkSize: size)
            #expect(tiny.map(\.line) == whole.map(\.line))
            #expect(tiny.map(\.outcome) == whole.map(\.outcome))
            #expect(tiny.map(\.original) == whole.map(\.original))
        }
    }

    @Test func overlongLineIsRejectedAndReadingGoesOn() throws {
        let text = "{\"email\": \"\(String(repeating: "a", count: 200))@example.com\"}\n{\"email\": \"b@example.com\"}\n"
        var reader = JSONLReader(source: BytesChunkSource(text, chunkSize: 16),
                                 leadNormalizer: LeadNormalizer(freeMailDomains: []), maximumLineBytes: 100)
        let first = try #require(try reader.next())
        #expect(first.outcome.problems.map(\.code) == [.recordTooLarge])
        let second = try #require(try reader.next())
        #expect(second.line == 2 && second.outcome.isAccepted)
        #expect(try reader.next() == nil)
    }
}
