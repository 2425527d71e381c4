import ArgumentParser
import Foundation
import FormVision
import FormVisionTraining

/// `formvision template ...`: the built-in form templates.
struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "List, show, render and lay out form templates.",
        subcommands: [List.self, Show.self, Render.self, Layout.self]
    )

    /// Options naming one page template: a built-in id, or a JSON file.
    struct TemplateOptions: ParsableArguments {
        @Option(name: .long, help: "A built-in page template id (see 'formvision template list').")
        var template: String?

        @Option(name: .long, help: "A template JSON file instead of a built-in template.")
        var file: String?

        func validate() throws {
            guard (template == nil) != (file == nil) else { throw ValidationError("give exactly one of --template and --file") }
        }

        /// The page template: the built-in one with the id, or the (first page of the) file.
        func load() throws -> FormTemplate {
            do throws(TemplateError) {
                if let file { return try TemplateJSON.load(contentsOfFile: file).pages[0] }
                return try TemplateCatalog.all.template(id: template ?? "")
            } catch {
                throw CLIFailure(error.description)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the built-in form sets and their pages.")

        func run() {
            for set in TemplateCatalog.all.formSets {
                print("\(set.id)\t\(set.title)")
                for page in set.pages { print("  \(page.id)\tpage \(page.page): \(page.fields.count) fields, markers \(page.markers.map(\.id))") }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a template or form set as JSON (the template format).")

        @Argument(help: "A page template or form set id.")
        var id: String

        func run() throws {
            let catalog = TemplateCatalog.all
            let json: [UInt8]
            if let set = try? catalog.formSet(id: id) {
                json = TemplateJSON.encode(set)
            } else {
                do throws(TemplateError) { json = TemplateJSON.encode(try catalog.template(id: id)) } catch {
                    throw CLIFailure(error.description)
                }
            }
            FileHandle.standardOutput.write(Data(json + Array("\n".utf8)))
        }
    }

    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Draw the blank printed page as a PNG.")

        @OptionGroup var source: TemplateOptions

        @Option(help: "Resolution in dots per inch (50 to 600).")
        var dpi: Double = 150

        @Option(name: .shortAndLong, help: "The PNG file to write.")
        var output: String

        func validate() throws {
            guard (50 ... 600).contains(dpi) else { throw ValidationError("--dpi must be 50 to 600") }
        }

        func run() throws {
            let template = try source.load()
            let png: [UInt8]
            do throws(ImageError) {
                png = try ImageEncoder.png(try PageRenderer().render(template, dpi: dpi))
            } catch {
                throw CLIFailure(error.description)
            }
            try Output.write(png, to: output)
        }
    }

    struct Layout: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every field's box rectangles, in pixels of a render at --dpi, as JSON.",
            discussion: """
                Keys: template, dpi, width, height (the render's size in pixels), markers [{family, id, \
                center {x, y}, size}], corner_marks [{center, square}] (when printed), fields [{name, label, \
                boxes [{x, y, width, height}], bubbles [{centers, radius}] (one column per box, when printed)}]. Pixel \
                coordinates put the page's top-left corner at (0, 0); a pixel's centre is at +0.5.
                """
        )

        @OptionGroup var source: TemplateOptions

        @Option(help: "Resolution in dots per inch (50 to 600).")
        var dpi: Double = 150

        func validate() throws {
            guard (50 ... 600).contains(dpi) else { throw ValidationError("--dpi must be 50 to 600") }
        }

        func run() throws {
            let template = try source.load()
            try Output.jsonLine(TemplateLayout(template: template, dpi: dpi), pretty: true)
        }
    }
}

/// The `template layout` output: the template's geometry in pixels of a render.
struct TemplateLayout: Encodable {
    struct Marker: Encodable {
        var family: String
        var id: Int
        var center: Point
        var size: Double
    }

    struct Field: Encodable {
        var name: String
        var label: String
        var boxes: [Rect]
        /// One column per box, digit 0 first, when the form prints bubbles (absent otherwise).
        var bubbles: [Bubbles]?
    }

    struct Bubbles: Encodable {
        var centers: [Point]
        var radius: Double
    }

    struct CornerMark: Encodable {
        var center: Point
        var square: Double
    }

    var template: String
    var dpi: Double
    var width: Int
    var height: Int
    var markers: [Marker]
    var cornerMarks: [CornerMark]?
    var fields: [Field]

    init(template: FormTemplate, dpi: Double) {
        let s = PageRenderer.scale(dpi: dpi)
        let size = PageRenderer.pixelSize(of: template, dpi: dpi)
        self.template = template.id
        self.dpi = dpi
        width = size.width
        height = size.height
        markers = template.markers.map { Marker(family: $0.family, id: $0.id, center: $0.center * s, size: $0.size * s) }
        cornerMarks = template.cornerMarks?.map { CornerMark(center: $0.center * s, square: $0.square * s) }
        fields = template.fields.map { field in
            Field(name: field.name, label: field.label, boxes: field.boxes.map { $0.scaled(by: s) },
                  bubbles: field.bubbles?.map { Bubbles(centers: $0.centers.map { $0 * s }, radius: $0.radius * s) })
        }
    }
}
