import ArgumentParser
import Foundation
import FormVision
import FormVisionTraining

/// The `formvision` command: reads photos of KPU C Hasil tally forms.
@main
struct FormVisionCommand: ParsableCommand {
    /// Runs the command; a `CLIFailure` becomes one line on stderr and exit status 1.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as CLIFailure {
            Output.error(failure.description)
            Foundation.exit(1)
        } catch {
            exit(withError: error)
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "formvision",
        abstract: "Read phone photos of Indonesian election tally forms (KPU C Hasil) into trusted numbers.",
        discussion: """
            Exit status: 0 when every input was handled, 1 when at least one input could not be \
            read (each gets a one-line message on stderr), 64 for a usage error.
            """,
        version: FormVision.version,
        subcommands: [ReadCommand.self, EvalCommand.self, InfoCommand.self, LocateCommand.self, TemplateCommand.self, SynthCommand.self, EvalGeometryCommand.self, TrainCommand.self, ClassifyCommand.self]
    )
}
