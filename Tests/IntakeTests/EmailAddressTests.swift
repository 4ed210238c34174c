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
}
