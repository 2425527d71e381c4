/// The built-in model of the KPU C.Hasil-KWK form (Pilkada 2024), page 1 and page 2.
///
/// Modelled on the form as DOMAIN.md describes it; the layout is ours, not a copy of KPU's
/// artwork. A4 portrait. Every number is written in three boxes (hundreds, tens, ones).
/// AprilTag tag36h11 markers sit at the four corners and at the middle of the left and right
/// edges; a marker's id is `6 × variant + position`, where variant 0 is page 1, variant
/// n − 1 is page 2 with n candidate pairs (2…6), and position runs top-left, top-right,
/// bottom-right, bottom-left, middle-left, middle-right. So any one marker tells the page, the
/// variant and where on the page it is.
package enum CHasilKWK {
    /// Layout constants, in mm.
    package enum Layout {
        static let page = FormTemplate.Size.a4
        static let markerSize = 12.0
        /// Distance from the page edge to a marker's centre.
        static let markerInset = 14.0
        static let tableLeft = 25.0
        static let tableRight = 185.0
        /// The box a digit is written in.
        static let boxWidth = 7.5
        static let boxHeight = 9.0
        /// Space between the boxes of one number.
        static let boxGap = 1.2
        /// Width of a number column of a table.
        static let numberColumn = 27.0
        static let rowHeight = 11.0
        static let subheaderHeight = 6.0
        static let headerHeight = 10.0
        static let lineWidth = 0.3
        static let textSize = 2.2
        static let family = "tag36h11"
        static let pairs = 2 ... 6
        /// At most 600 voters on one Pilkada 2024 roll (DOMAIN.md).
        package static let maximumVoters = 600
    }

    package static let family = "c-hasil-kwk"

    package static func formSetID(pairs: Int) -> String { "\(family)-\(pairs)" }

    /// The marker variant of a page: 0 for page 1, pairs − 1 for page 2.
    package static func variant(page: Int, pairs: Int) -> Int { page == 1 ? 0 : pairs - 1 }

    package static func formSet(pairs: Int) -> FormSet {
        let id = formSetID(pairs: pairs)
        let page1 = administrationPage
        let page2 = votesPage(pairs: pairs)
        return FormSet(
            id: id,
            title: "C.Hasil-KWK, \(pairs) pasangan calon",
            pages: [page1, page2],
            crossPageRelations: [
                .equals(left: "votes_total", right: "voted_all_total"),
                .equals(left: "votes_total", right: "ballots_used"),
            ]
        )
    }

    // MARK: Markers

    package static func markers(variant: Int) -> [FormTemplate.Marker] {
        let (w, h, inset) = (Layout.page.width, Layout.page.height, Layout.markerInset)
        let centres = [
            Point(inset, inset), Point(w - inset, inset), Point(w - inset, h - inset), Point(inset, h - inset),
            Point(inset, h / 2), Point(w - inset, h / 2),
        ]
        return centres.enumerated().map { position, centre in
            FormTemplate.Marker(family: Layout.family, id: 6 * variant + position, center: centre, size: Layout.markerSize)
        }
    }

    // MARK: Drawing helpers

    /// Builds the fields and the printing of a page from top to bottom.
    package struct PageBuilder {
        var fields: [FormTemplate.Field] = []
        var printing = FormTemplate.Printing()
        var y: Double

        init(top: Double) { y = top }

        mutating func text(_ string: String, x: Double, y: Double, size: Double = Layout.textSize, bold: Bool = false,
                           alignment: FormTemplate.Printing.Text.Alignment = .left) {
            printing.texts.append(.init(string, at: Point(x, y), size: size, bold: bold, alignment: alignment))
        }

        mutating func line(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, width: Double = Layout.lineWidth) {
            printing.lines.append(.init(from: Point(x0, y0), to: Point(x1, y1), width: width))
        }

        mutating func rule() { line(Layout.tableLeft, y, Layout.tableRight, y) }

        /// Three boxes centred in a column, vertically centred in the current row.
        mutating func number(_ name: String, label: String, columnLeft: Double, columnWidth: Double, rowHeight: Double) {
            let total = 3 * Layout.boxWidth + 2 * Layout.boxGap
            let left = columnLeft + (columnWidth - total) / 2
            let top = y + (rowHeight - Layout.boxHeight) / 2
            let boxes = (0 ..< 3).map { i in
                Rect(x: left + Double(i) * (Layout.boxWidth + Layout.boxGap), y: top, width: Layout.boxWidth,
                     height: Layout.boxHeight)
            }
            fields.append(.init(name: name, label: label, boxes: boxes))
        }

        /// A section title above a table.
        mutating func sectionTitle(_ title: String) {
            y += 5
            text(title, x: Layout.tableLeft, y: y, size: 2.6, bold: true)
            y += 2.5
        }

        /// A table of numbered rows, each a label and one number in the given column.
        mutating func singleNumberTable(_ rows: [(name: String, label: String)], numberColumn: Double) {
            let top = y
            for (index, row) in rows.enumerated() {
                rule()
                text("\(index + 1). \(row.label)", x: Layout.tableLeft + 2, y: y + 6.8, size: 2.0)
                number(row.name, label: row.label, columnLeft: numberColumn, columnWidth: Layout.numberColumn,
                       rowHeight: Layout.rowHeight)
                y += Layout.rowHeight
            }
            rule()
            columns(top: top, at: [numberColumn])
        }

        /// A table's outer vertical rules from `top` to the current y, with inner column rules.
        mutating func columns(top: Double, at xs: [Double]) {
            for x in [Layout.tableLeft, Layout.tableRight] + xs { line(x, top, x, y) }
        }
    }

    package static func header(_ builder: inout PageBuilder, pageNumber: Int) {
        let centre = Layout.page.width / 2
        builder.text("MODEL C.HASIL-KWK", x: centre, y: 15, size: 3.6, bold: true, alignment: .center)
        builder.text("BERITA ACARA DAN SERTIFIKAT HASIL PENGHITUNGAN SUARA", x: centre, y: 21, size: 2.8, bold: true,
                     alignment: .center)
        builder.text("DI TEMPAT PEMUNGUTAN SUARA", x: centre, y: 25.5, size: 2.5, alignment: .center)
        builder.text("PEMILIHAN GUBERNUR DAN WAKIL GUBERNUR TAHUN 2024", x: centre, y: 30, size: 2.5, alignment: .center)
        builder.text("HALAMAN \(pageNumber)", x: Layout.tableRight, y: 36, size: 2.2, bold: true, alignment: .right)
        let places = ["PROVINSI", "KABUPATEN/KOTA", "KECAMATAN", "DESA/KELURAHAN", "TPS"]
        for (index, place) in places.enumerated() {
            let y = 41 + Double(index) * 5
            builder.text(place, x: Layout.tableLeft, y: y, size: 2.1)
            builder.text(":", x: 58, y: y, size: 2.1)
            builder.line(61, y + 0.6, 140, y + 0.6, width: 0.15)
        }
        builder.y = 63
    }

    // MARK: Page 1

    /// Page 1 is the same for every number of pairs.
    package static let administrationPage = makeAdministrationPage()

    package static func makeAdministrationPage() -> FormTemplate {
        var b = PageBuilder(top: 0)
        header(&b, pageNumber: 1)
        let numberLeft = Layout.tableRight - 3 * Layout.numberColumn
        let columnLefts = (0 ..< 3).map { numberLeft + Double($0) * Layout.numberColumn }
        let sexes = [("male", "L"), ("female", "P"), ("total", "L+P")]
        var relations: [Relation] = []

        // I. Voters and voters who voted.
        b.sectionTitle("I. DATA PEMILIH DAN PENGGUNA HAK PILIH")
        let tableTop = b.y
        b.rule()
        b.text("URAIAN", x: (Layout.tableLeft + numberLeft) / 2, y: b.y + 6.5, bold: true, alignment: .center)
        for (column, title) in ["LAKI-LAKI (L)", "PEREMPUAN (P)", "JUMLAH (L+P)"].enumerated() {
            b.text(title, x: columnLefts[column] + Layout.numberColumn / 2, y: b.y + 6.5, size: 2.0, bold: true,
                   alignment: .center)
        }
        b.y += Layout.headerHeight
        let categories = [("dpt", "DPT"), ("dptb", "DPTb"), ("dpk", "DPK")]
        let groups = [
            ("registered", "A. DATA PEMILIH", "Jumlah pemilih dalam"),
            ("voted", "B. PENGGUNA HAK PILIH", "Jumlah pengguna hak pilih dalam"),
        ]
        for (group, title, phrase) in groups {
            b.rule()
            b.text(title, x: Layout.tableLeft + 2, y: b.y + 4.3, bold: true)
            b.y += Layout.subheaderHeight
            let rows = categories.map { ($0.0, "\(phrase) \($0.1)") } + [("all", "Jumlah (1+2+3)")]
            for (index, (category, label)) in rows.enumerated() {
                b.rule()
                b.text("\(index + 1). \(label)", x: Layout.tableLeft + 4, y: b.y + 6.8)
                for (column, (sex, short)) in sexes.enumerated() {
                    b.number("\(group)_\(category)_\(sex)", label: "\(title.dropFirst(3)) — \(label) (\(short))",
                             columnLeft: columnLefts[column], columnWidth: Layout.numberColumn, rowHeight: Layout.rowHeight)
                }
                relations.append(.sumEquals(terms: ["\(group)_\(category)_male", "\(group)_\(category)_female"],
                                            total: "\(group)_\(category)_total"))
                b.y += Layout.rowHeight
            }
            for (sex, _) in sexes {
                relations.append(.sumEquals(terms: categories.map { "\(group)_\($0.0)_\(sex)" }, total: "\(group)_all_\(sex)"))
            }
        }
        b.rule()
        b.columns(top: tableTop, at: columnLefts)
        for category in categories.map(\.0) + ["all"] {
            for (sex, _) in sexes {
                relations.append(.lessOrEqual(left: "voted_\(category)_\(sex)", right: "registered_\(category)_\(sex)"))
            }
        }
        relations.append(.upperBound(field: "registered_all_total", bound: Layout.maximumVoters))

        // II. Ballots.
        b.sectionTitle("II. DATA PENGGUNAAN SURAT SUARA")
        let ballotColumn = columnLefts[2]
        b.singleNumberTable([
            ("ballots_received", "Jumlah surat suara yang diterima, termasuk surat suara cadangan"),
            ("ballots_damaged", "Jumlah surat suara yang dikembalikan oleh pemilih karena rusak/keliru coblos"),
            ("ballots_unused", "Jumlah surat suara yang tidak digunakan/tidak terpakai"),
            ("ballots_used", "Jumlah surat suara yang digunakan"),
        ], numberColumn: ballotColumn)
        relations.append(.sumEquals(terms: ["ballots_damaged", "ballots_unused", "ballots_used"], total: "ballots_received"))
        relations.append(.equals(left: "ballots_used", right: "voted_all_total"))

        // III. Voters with disabilities.
        b.sectionTitle("III. DATA PEMILIH DISABILITAS")
        b.singleNumberTable([
            ("disabled_registered", "Jumlah seluruh pemilih disabilitas"),
            ("disabled_voted", "Jumlah pemilih disabilitas yang menggunakan hak pilih"),
        ], numberColumn: ballotColumn)
        relations.append(.lessOrEqual(left: "disabled_voted", right: "disabled_registered"))
        relations.append(.lessOrEqual(left: "disabled_voted", right: "voted_all_total"))
        relations.append(.lessOrEqual(left: "disabled_registered", right: "registered_all_total"))

        return FormTemplate(
            id: "\(family)-p1", title: "C.Hasil-KWK halaman 1: data pemilih, surat suara, disabilitas",
            family: family, page: 1, pageSize: Layout.page, markers: markers(variant: 0), fields: b.fields,
            relations: relations, printing: b.printing)
    }

    // MARK: Page 2

    package static func votesPage(pairs: Int) -> FormTemplate {
        var b = PageBuilder(top: 0)
        header(&b, pageNumber: 2)
        let numberLeft = Layout.tableRight - Layout.numberColumn - 8
        let numberWidth = Layout.numberColumn + 8
        let noRight = Layout.tableLeft + 18
        let pairRow = 16.0
        var relations: [Relation] = []

        b.sectionTitle("IV. DATA PEROLEHAN SUARA PASANGAN CALON")
        let tableTop = b.y
        b.rule()
        b.text("NO. URUT", x: (Layout.tableLeft + noRight) / 2, y: b.y + 6.5, size: 2.0, bold: true, alignment: .center)
        b.text("NAMA PASANGAN CALON", x: (noRight + numberLeft) / 2, y: b.y + 6.5, size: 2.0, bold: true, alignment: .center)
        b.text("SUARA SAH", x: numberLeft + numberWidth / 2, y: b.y + 6.5, size: 2.0, bold: true, alignment: .center)
        b.y += Layout.headerHeight
        for pair in 1 ... pairs {
            b.rule()
            b.text("\(pair)", x: (Layout.tableLeft + noRight) / 2, y: b.y + 10, size: 4, bold: true, alignment: .center)
            b.text("PASANGAN CALON NOMOR URUT \(pair)", x: noRight + 3, y: b.y + 6.5, size: 2.1)
            b.text("Calon Gubernur dan Calon Wakil Gubernur", x: noRight + 3, y: b.y + 11.5, size: 1.9)
            b.number("votes_pair_\(pair)", label: "Perolehan suara sah pasangan calon nomor urut \(pair)",
                     columnLeft: numberLeft, columnWidth: numberWidth, rowHeight: pairRow)
            b.y += pairRow
        }
        b.rule()
        b.columns(top: tableTop, at: [noRight, numberLeft])
        let pairFields = (1 ... pairs).map { "votes_pair_\($0)" }

        b.sectionTitle("V. JUMLAH SUARA SAH DAN TIDAK SAH")
        let totalsTop = b.y
        let totals = [
            ("votes_valid", "JUMLAH SELURUH SUARA SAH (" + (1 ... pairs).map(String.init).joined(separator: "+") + ")"),
            ("votes_invalid", "JUMLAH SUARA TIDAK SAH"),
            ("votes_total", "JUMLAH SELURUH SUARA SAH DAN TIDAK SAH"),
        ]
        for (name, label) in totals {
            b.rule()
            b.text(label, x: Layout.tableLeft + 3, y: b.y + 7.5, size: 2.1, bold: true)
            b.number(name, label: label, columnLeft: numberLeft, columnWidth: numberWidth, rowHeight: 12)
            b.y += 12
        }
        b.rule()
        b.columns(top: totalsTop, at: [numberLeft])
        relations.append(.sumEquals(terms: pairFields, total: "votes_valid"))
        relations.append(.sumEquals(terms: ["votes_valid", "votes_invalid"], total: "votes_total"))
        relations.append(.upperBound(field: "votes_total", bound: Layout.maximumVoters))

        b.y += 10
        b.text("KETUA KPPS", x: 60, y: b.y, size: 2.2, bold: true, alignment: .center)
        b.text("SAKSI", x: 150, y: b.y, size: 2.2, bold: true, alignment: .center)
        b.line(40, b.y + 18, 80, b.y + 18, width: 0.15)
        b.line(130, b.y + 18, 170, b.y + 18, width: 0.15)

        return FormTemplate(
            id: "\(family)-p2-\(pairs)", title: "C.Hasil-KWK halaman 2: perolehan suara, \(pairs) pasangan calon",
            family: family, page: 2, pageSize: Layout.page, markers: markers(variant: variant(page: 2, pairs: pairs)),
            fields: b.fields, relations: relations, printing: b.printing)
    }
}
