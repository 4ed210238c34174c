import Testing
@testable import Intake

@Suite struct CountryResolverTests {
    let countries = CountryResolver.standard

    @Test(arguments: [
        ("Germany", "DE"), ("Deutschland", "DE"), ("germany ", "DE"), ("DE", "DE"), ("de", "DE"), ("DEU", "DE"),
        ("USA", "US"), ("U.S.", "US"), ("U.S.A.", "US"), ("United States of America", "US"), ("us", "US"),
        ("United States", "US"), ("America", "US"),
        ("UK", "GB"), ("U.K.", "GB"), ("Great Britain", "GB"), ("England", "GB"), ("United Kingdom", "GB"), ("GBR", "GB"),
        ("España", "ES"), ("Espana", "ES"), ("ESPAÑA", "ES"), ("Spain", "ES"),
        ("Schweiz", "CH"), ("Suisse", "CH"), ("Switzerland", "CH"),
        ("Holland", "NL"), ("The Netherlands", "NL"), ("Nederland", "NL"),
        ("Korea", "KR"), ("South Korea", "KR"), ("Korea, Republic of", "KR"), ("North Korea", "KP"),
        ("Czechia", "CZ"), ("Czech Republic", "CZ"), ("Česko", "CZ"),
        ("UAE", "AE"), ("U.A.E.", "AE"), ("United Arab Emirates", "AE"),
        ("Österreich", "AT"), ("Osterreich", "AT"), ("Côte d'Ivoire", "CI"), ("Cote d’Ivoire", "CI"), ("Ivory Coast", "CI"),
        ("Bosnia & Herzegovina", "BA"), ("Trinidad & Tobago", "TT"), ("St. Lucia", "LC"), ("Türkiye", "TR"), ("Turkey", "TR"),
        ("Russia", "RU"), ("Россия", "RU"), ("Viet Nam", "VN"), ("Vietnam", "VN"), ("Curaçao", "CW"), ("Åland Islands", "AX"),
        ("Congo", "CG"), ("DR Congo", "CD"), ("Democratic Republic of the Congo", "CD"), ("Dominica", "DM"),
        ("Dominican Republic", "DO"), ("Niger", "NE"), ("Nigeria", "NG"), ("日本", "JP"), ("Kosovo", "XK"),
    ])
    func resolves(input: String, code: String) {
        #expect(countries.alpha2Code(for: input) == code)
    }

    @Test(arguments: ["Atlantis", "N/A", "", "  ", "Europe", "XX", "Unknown"])
    func unknown(input: String) {
        #expect(countries.alpha2Code(for: input) == nil)
    }

    @Test func tableIsCompleteAndConsistent() {
        #expect(CountryResolver.entries.count == 250)
        #expect(Set(CountryResolver.entries.map(\.alpha2)).count == 250)
        #expect(Set(CountryResolver.entries.map(\.alpha3)).count == 250)
        for entry in CountryResolver.entries {
            #expect(entry.alpha2.count == 2 && entry.alpha3.count == 3)
            for name in entry.names {
                #expect(countries.alpha2Code(for: name) == entry.alpha2, "\(name) should resolve to \(entry.alpha2)")
            }
        }
    }

    @Test func additionalAliasesWin() {
        let custom = CountryResolver(additionalAliases: ["Bayern": "de", "Georgia": "US"])
        #expect(custom.alpha2Code(for: "bayern") == "DE")
        #expect(custom.alpha2Code(for: "Georgia") == "US")
        #expect(countries.alpha2Code(for: "Georgia") == "GE")
    }
}
