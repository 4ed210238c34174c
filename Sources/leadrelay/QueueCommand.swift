import ArgumentParser
import JobQueue
import Postgres

struct QueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Inspect the job queue and revive dead letters.",
        subcommands: [Stats.self, RetryDead.self]
    )

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Depth, oldest ready age and dead letters per job kind.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let connection = try await Connection.connect(database.config(applicationName: "leadrelay queue"))
            let stats = try await connection.queueStats()
            await connection.close()
            guard !stats.isEmpty else {
                print("queue: empty (no live or dead jobs)")
                return
            }
            let table = TextTable(headers: ["kind", "ready", "delayed", "leased", "oldest ready", "dead"], rightAligned: [1, 2, 3, 4, 5])
            for kind in stats {
                table.add([
                    kind.kind, String(kind.ready), String(kind.delayed), String(kind.leased),
                    Format.duration(seconds: kind.oldestReadySeconds), String(kind.dead),
                ])
            }
            print(table.render())
        }
    }

    struct RetryDead: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retry-dead",
            abstract: "Enqueue the dead letters of a job kind again, with their attempts reset."
        )

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The job kind, e.g. score or handoff.") var kind: String

        func run() async throws {
            let connection = try await Connection.connect(database.config(applicationName: "leadrelay queue"))
            let kind = kind
            let count = try await connection.withTransaction { try $0.retryDead(kind: kind) }
            await connection.close()
            print("queue: re-enqueued \(count) dead \(kind) job\(count == 1 ? "" : "s")")
        }
    }
}
