import ArgumentParser
import Foundation
import Postgres
import Reporting

struct RolesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roles",
        abstract: "Database logins for analysts.",
        subcommands: [CreateAnalyst.self]
    )

    struct CreateAnalyst: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create-analyst",
            abstract: "Create an analyst login and print the connection string to hand over.",
            discussion: """
                The login can read the reporting schema and nothing else: no raw table, no
                writes. E-mail addresses, phone numbers and names are masked unless --pii
                makes it a member of leadrelay_analyst_pii too. The password is generated
                (32 random characters), sent to the server only as its SCRAM verifier, and
                shown once, in the connection string. Needs a role with CREATEROLE.

                  leadrelay roles create-analyst maria_bi
                """
        )

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The login name: a-z, 0-9 and _, starting with a letter.") var name: String
        @Flag(help: "Show e-mail addresses, phone numbers and names unmasked.") var pii = false

        func validate() throws {
            guard AnalystRole.isValidName(name) else {
                throw ValidationError("'\(name)' is not a valid role name: use a-z, 0-9 and _, starting with a letter, at most 63 characters")
            }
        }

        func run() async throws {
            let (name, pii) = (name, pii)
            let password = Self.generatePassword()
            let connection = try await Connection.connect(database.config(applicationName: "leadrelay roles"))
            do {
                try await connection.withTransaction { try $0.createAnalystRole(name: name, password: password, personalData: pii) }
            } catch let problem as AnalystRole.Problem {
                await connection.close()
                throw CommandError("roles: \(problem.description)")
            }
            let endpoint = try await connection.endpoint()
            await connection.close()
            FileHandle.standardError.write(Data("""
                roles: created \(name), a member of \(AnalystRole.readerRole)\(pii ? " and \(AnalystRole.personalDataRole)" : ""); \
                hand over this connection string (its password is not stored anywhere else):

                """.utf8))
            print(Self.connectionString(user: name, password: password, endpoint: endpoint))
        }

        /// 32 characters from [A-Za-z0-9]: about 190 bits, and nothing that needs quoting.
        static func generatePassword() -> String {
            let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
            var generator = SystemRandomNumberGenerator()
            return String((0..<32).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
        }

        /// A postgres:// URL; a Unix socket folder goes in the host query parameter.
        static func connectionString(user: String, password: String, endpoint: (host: String, port: String, database: String)) -> String {
            var components = URLComponents()
            components.scheme = "postgresql"
            components.user = user
            components.password = password
            components.path = "/" + endpoint.database
            if endpoint.host.hasPrefix("/") {
                components.host = ""
                components.queryItems = [URLQueryItem(name: "host", value: endpoint.host), URLQueryItem(name: "port", value: endpoint.port)]
            } else {
                components.host = endpoint.host
                components.port = Int(endpoint.port)
            }
            return components.string ?? ""
        }
    }
}
