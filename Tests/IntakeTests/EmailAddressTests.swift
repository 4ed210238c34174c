import Testing
@testable import Intake

@Suite struct EmailAddressTests {
    @Test(arguments: [
        ("Anna.Schmidt@Example.COM", "anna.schmidt@example.com", "example.com"),
        ("j+tag@mail.example.co.uk", "j+tag@mail.example.co.uk", "mail.example.co.uk"),
        ("o'brien@example.ie", "o'brien@example.ie", "example.ie"),
        ("user@example.com.", "user@example.com", "example.com"),
        ("müller@bücher.de", "müller@bücher.de", "bücher.de"),
    ])
    func acceptsAndFolds(input: String, address: String, domain: String) throws {
        let email = try #require(EmailAddress(input))
        #expect(email.address == address)
        #expect(email.domain == domain)
    }

    /// The same address in composed and decomposed code points is one address, down to its
    /// bytes, which is how PostgreSQL compares it.
    @Test func composedAndDecomposedFormsAreTheSameBytes() throws {
        let composed = try #require(EmailAddress("Jos\u{E9}@Caf\u{E9}.example"))
        let decomposed = try #require(EmailAddress("Jose\u{301}@Cafe\u{301}.example"))
        #expect(Array(decomposed.address.utf8) == Array(composed.address.utf8))
        #expect(Array(decomposed.domain.utf8) == Array("caf\u{E9}.example".utf8))
        #expect(Array(composed.address.utf8) == Array("jos\u{E9}@caf\u{E9}.example".utf8))
    }

    @Test(arguments: [
        "", "plainaddress", "@example.com", "user@", "user@@example.com", "a@b@example.com",
        "user@example", "user name@example.com", "user@exa mple.com", "user@example.c",
        "user@.example.com", "user@example..com", "user@-example.com", "user@example-.com",
        ".user@example.com", "user.@example.com", "us..er@example.com", "user@192.168.0.1",
        "\"quoted\"@example.com", "user@[127.0.0.1]", "Name <user@example.com>", "user\t@example.com",
    ])
    func rejects(input: String) {
        #expect(EmailAddress(input) == nil)
    }

    /// The byte-level reading of ASCII text must agree with the general one on every input:
    /// random addresses, well and badly formed, over the characters that matter to the rules.
    @Test func theASCIIShortcutAgreesWithTheGeneralRules() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        func piece(_ characters: String, _ maximum: Int) -> String {
            let pool = Array(characters)
            return String((0..<next(maximum + 1)).map { _ in pool[next(pool.count)] })
        }
        var valid = 0
        for _ in 0..<20_000 {
            let local = piece("aZ09.-_+\"( )\t@", 6)
            let domain = piece("aZ09.-x@_", 8)
            let top = piece("comDE1-.", 3)
            let text = local + (next(8) == 0 ? "" : "@") + domain + "." + top + (next(4) == 0 ? "." : "")
            let fast = EmailAddress.asciiParts(text)
            let general = EmailAddress.parts(text)
            #expect(fast?.local == general?.0 && fast?.domain == general?.1, "\(text)")
            if let fast {
                #expect(fast.address == fast.local + "@" + fast.domain, "\(text)")
                valid += 1
            }
        }
        #expect(valid > 100, "the random inputs should include many valid addresses, had \(valid)")
        // Every printable ASCII character inside a local part: the byte reader's list of
        // forbidden characters is the general reader's.
        for byte in UInt8(0x21)..<0x7F {
            let text = "a" + String(UnicodeScalar(byte)) + "b@example.com"
            #expect(EmailAddress.asciiParts(text)?.local == EmailAddress.parts(text)?.0, "\(text)")
        }
    }
}
