import ArgumentParser

@main
struct LeadRelay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leadrelay",
        abstract: "The pipeline between marketing and sales."
    )
}
