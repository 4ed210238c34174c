import ArgumentParser

@main
struct LeadRelay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leadrelay",
        abstract: "LeadRelay: the pipeline between marketing and sales.",
        subcommands: [
            Migrate.self, Serve.self, WorkerCommand.self, ImportCommand.self, RejectsCommand.self, QueueCommand.self, KeysCommand.self,
            RulesCommand.self, LeadCommand.self,
            RepsCommand.self, FeedbackCommand.self, WatchCommand.self, WebhooksCommand.self,
            ReportCommand.self, CalibrateCommand.self, CostsCommand.self, RolesCommand.self,
        ]
    )
}
