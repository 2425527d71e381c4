/// The KPU form C.HASIL-PPWP of the 2024 presidential election, pages 2 and 3, as printed.
///
/// Unlike `CHasilKWK`, this is not our design: every number below was measured off the blank
/// form's digital images (`shared/forms/ppwp-2024`, from kawalc1, MIT licence), see
/// docs/template-format.md, "Measured templates". The images are stretched about 5 % across, so
/// the page's own frame is what the numbers are measured in: the four corner marks' outer edges
/// lie 191 × 305.1 mm apart, placed on an F4 sheet (215 × 330 mm) with margins of 12 and
/// 12.45 mm. Copies of the form at other sizes are the same page at another scale; the locator
/// maps the marks, not the sheet.
///
/// Each page carries one AprilTag (tag36h10; page 1 has id 101, page 2 102, page 3 103) and
/// four two-square corner marks. Page 2 has three vote counts, each three digit boxes with a
/// dotted seven-segment writing guide and a column of ten OMR bubbles under every box. Page 3
/// has the valid (A), invalid (B) and total (C) counts in plain boxes, and the date.
package enum CHasilPPWP {
    package static let family = "c-hasil-ppwp"
    package static let formSetID = "c-hasil-ppwp"

    enum Layout {
        /// F4, the frame the measurements are placed in.
        static let page = FormTemplate.Size(width: 215, height: 330)
        static let tagFamily = "tag36h10"
        /// The tag's black square, mm (measured 11.79 × 11.87 on page 2, 11.81 square on page 3).
        static let tagSize = 11.82
        /// The tag's centre, mm (page 2 (184.63, 36.74), page 3 (184.67, 36.69)).
        static let tagCenter = Point(184.65, 36.72)
        /// Where the two squares of each corner mark touch, mm, and each square's side.
        static let cornerMarkCenters = [Point(14.65, 15.1), Point(200.35, 15.1), Point(200.35, 314.9), Point(14.65, 314.9)]
        static let cornerMarkSquare = 2.65
        /// Width of the printed box lines (measured 0.34 to 0.45 mm).
        static let boxLineWidth = 0.4
        /// Left edges and widths of the hundreds, tens and ones boxes on page 2 and page 3.
        static let page2BoxColumns: [(x: Double, width: Double)] = [(164.56, 7.0), (173.27, 7.0), (181.99, 6.83)]
        static let page3BoxColumns: [(x: Double, width: Double)] = [(164.68, 6.97), (173.16, 7.12), (181.95, 6.82)]
        /// Page 2: the bubble columns' centre lines (a box's centre, to within 0.1 mm), the
        /// first bubble's centre below the box's top edge, the pitch of the bubbles and their
        /// radius (to the middle of the printed circle).
        static let bubbleColumnX = [168.15, 176.69, 185.4]
        static let firstBubbleBelowBoxTop = 10.71
        static let bubblePitch = 3.898
        static let bubbleRadius = 1.47
        /// Page 2's writing guide: the dotted 8 lies this far inside each box.
        static let guideInset = Point(1.88, 0.9)
        /// The light gray the tally grids and the frame are printed in (measured 200 to 225 of 255).
        static let gridGray: UInt8 = 205
        static let frameGray: UInt8 = 220
        static let thinLine = 0.15
        /// At most 300 voters are on a TPS roll in the 2024 general election (DOMAIN.md); the
        /// bound is the one every count of every form gets, 600, which never rejects a true count.
        static let maximumCount = 600
    }

    package static var formSet: FormSet {
        FormSet(
            id: formSetID,
            title: "C.HASIL-PPWP 2024 (Pilpres), halaman 2 dan 3",
            pages: [page2, page3],
            crossPageRelations: [
                .sumEquals(terms: ["votes_pair_1", "votes_pair_2", "votes_pair_3"], total: "votes_valid"),
            ]
        )
    }

    // MARK: Shared parts

    static func marker(page: Int) -> FormTemplate.Marker {
        FormTemplate.Marker(family: Layout.tagFamily, id: 100 + page, center: Layout.tagCenter, size: Layout.tagSize)
    }

    static var cornerMarks: [FormTemplate.CornerMark] {
        Layout.cornerMarkCenters.map { FormTemplate.CornerMark(center: $0, square: Layout.cornerMarkSquare) }
    }

    static func boxes(_ columns: [(x: Double, width: Double)], top: Double, height: Double) -> [Rect] {
        columns.map { Rect(x: $0.x, y: top, width: $0.width, height: height) }
    }

    /// Printing helpers, in mm.
    struct Printer {
        var printing = FormTemplate.Printing(boxLineWidth: Layout.boxLineWidth)

        mutating func h(_ y: Double, _ x0: Double, _ x1: Double, _ width: Double, gray: UInt8? = nil) {
            printing.lines.append(.init(from: Point(x0, y), to: Point(x1, y), width: width, gray: gray))
        }

        mutating func v(_ x: Double, _ y0: Double, _ y1: Double, _ width: Double, gray: UInt8? = nil) {
            printing.lines.append(.init(from: Point(x, y0), to: Point(x, y1), width: width, gray: gray))
        }

        mutating func text(_ string: String, _ x: Double, _ y: Double, _ size: Double, bold: Bool = false,
                           _ alignment: FormTemplate.Printing.Text.Alignment = .left) {
            printing.texts.append(.init(string, at: Point(x, y), size: size, bold: bold, alignment: alignment))
        }

        /// The faint frame joining the corner marks along their outer edges.
        mutating func frame() {
            h(12.18, 19.5, 195.8, Layout.thinLine, gray: Layout.frameGray)
            h(317.64, 19.5, 195.8, Layout.thinLine, gray: Layout.frameGray)
            v(12.09, 20.9, 309.4, Layout.thinLine, gray: Layout.frameGray)
            v(202.91, 20.9, 309.4, Layout.thinLine, gray: Layout.frameGray)
        }

        /// The address block, the "MODEL" box beside the tag, and the page number.
        mutating func header(page: Int) {
            text("Provinsi", 36.4, 23.7, 1.3, bold: true)
            text("Kabupaten / Kota", 36.4, 28.3, 1.3, bold: true)
            text("Kecamatan", 101.7, 23.7, 1.3, bold: true)
            text("Kelurahan / Desa *)", 101.7, 28.3, 1.3, bold: true)
            text("Nomor TPS", 101.7, 33.0, 1.3, bold: true)
            for (x, y) in [(55.5, 23.7), (55.5, 28.3), (126.3, 23.7), (126.3, 28.3), (126.3, 33.0)] {
                text(":  .........................................", x, y, 1.2)
            }
            let (top, bottom, left, right) = page == 2 ? (20.01, 27.38, 174.81, 191.04) : (19.95, 27.28, 174.83, 191.19)
            h(top, left, right, 0.34)
            h(bottom, left, right, 0.34)
            v(left, top, bottom, 0.34)
            v(right, top, bottom, 0.34)
            text("MODEL", 182.9, 23.2, 1.2, bold: true, .center)
            text("C.HASIL-PPWP", 182.9, 25.4, 1.2, bold: true, .center)
            text("Halaman \(page) dari 3", 182.8, 29.8, 1.2, bold: true, .center)
        }

        /// A tally grid: five gray rows and twelve gray columns, the column numbers in a strip
        /// above it (when it has one), and the three gray columns of "jumlah tiap baris".
        mutating func tallyGrid(numbersTop: Double?, top: Double, bottom: Double, left: Double, right: Double,
                                sumRight: Double) {
            let pitch = (right - left) / 12
            for j in 1 ... 11 { v(left + Double(j) * pitch, top, bottom, Layout.thinLine, gray: Layout.gridGray) }
            if let numbersTop {
                for j in 1 ... 11 { v(left + Double(j) * pitch, numbersTop, top, Layout.thinLine) }
                for j in 1 ... 12 { text(String(j), left + (Double(j) - 0.5) * pitch, top - 0.75, 0.9, .center) }
            }
            for i in 1 ... 4 { h(top + Double(i) * (bottom - top) / 5, left, sumRight, Layout.thinLine, gray: Layout.gridGray) }
            for x in [151.94, 156.36, 160.77] { v(x, top, bottom, Layout.thinLine, gray: Layout.gridGray) }
        }

        /// The two signature tables: the seven members of the KPPS, then the three pairs' witnesses.
        mutating func signatures(top: Double, membersBottom: Double, witnessesTop: Double, namesBottom: Double,
                                 bottom: Double) {
            let (left, right) = (22.95, 192.0)
            h(top, left - 0.05, right + 0.4, 0.5)
            h(top + 3.96, left, right, 0.2)
            h(membersBottom, left, right, 0.5)
            h(witnessesTop, left, right, 0.5)
            h(namesBottom, left, right, 0.3)
            h(bottom, left - 0.05, right + 0.4, 0.5)
            v(left, top, bottom, 0.5)
            v(right, top, bottom, 0.5)
            for x in [47.2, 71.37, 95.46, 119.58, 143.62, 167.84] { v(x, top + 3.96, membersBottom, Layout.thinLine) }
            for x in [79.37, 135.63] { v(x, witnessesTop, bottom, Layout.thinLine) }
            text("NAMA DAN TANDA TANGAN KELOMPOK PENYELENGGARA PEMUNGUTAN SUARA", 107.5, top + 2.7, 1.2, bold: true, .center)
            for k in 0 ..< 7 { text("\(k + 1).", 25.0 + Double(k) * 24.15, top + 11.2, 1.6, bold: true) }
            text("NAMA DAN TANDA TANGAN SAKSI PASANGAN CALON PRESIDEN DAN WAKIL PRESIDEN", 107.5, witnessesTop - 1.4, 1.2,
                 bold: true, .center)
            for (k, x) in [25.9, 82.1, 138.5].enumerated() {
                text("\(k + 1).", x, witnessesTop + 5.8, 2.0, bold: true)
                text("NAMA CALON PRESIDEN", x + 5.4, witnessesTop + 4.2, 1.3, bold: true)
                text("NAMA CALON WAKIL PRESIDEN", x + 5.4, witnessesTop + 6.7, 1.3, bold: true)
            }
        }
    }

    // MARK: Page 2

    package static var page2: FormTemplate {
        var p = Printer()
        p.frame()
        p.header(page: 2)
        p.text("IV.", 24.3, 42.5, 1.5, bold: true)
        p.text("DATA RINCIAN PEROLEHAN SUARA PASANGAN CALON PRESIDEN DAN WAKIL PRESIDEN", 30.3, 42.5, 1.5, bold: true)
        let (left, right) = (24.13, 190.87)
        // The table's header.
        p.h(49.51, left, right + 0.34, 0.36)
        p.h(54.37, 63.85, 150.04, 0.3)
        p.text("NOMOR DAN NAMA", 44.05, 52.9, 1.1, bold: true, .center)
        p.text("PASANGAN CALON", 44.0, 54.9, 1.1, bold: true, .center)
        p.text("RINCIAN PEROLEHAN SUARA SAH", 107.0, 52.6, 1.2, bold: true, .center)
        p.text("JUMLAH", 156.2, 52.9, 1.0, bold: true, .center)
        p.text("TIAP BARIS", 156.3, 54.7, 1.0, bold: true, .center)
        p.text("JUMLAH SUARA SAH", 176.7, 53.8, 1.1, bold: true, .center)
        // One section per pair: name, tally grid, boxes and bubbles. Measured top rule, the
        // grid's bottom rule, the section's bottom rule and the boxes' top edge.
        let sections: [(top: Double, grid: Double, bottom: Double, boxTop: Double, boxHeight: Double)] = [
            (56.97, 86.57, 109.5, 59.58, 7.02), (113.28, 142.87, 165.81, 115.89, 7.02), (169.5, 199.09, 222.03, 172.02, 7.02),
        ]
        var fields: [FormTemplate.Field] = []
        for (index, s) in sections.enumerated() {
            let pair = index + 1
            p.tallyGrid(numbersTop: index == 0 ? 54.37 : nil, top: s.top, bottom: s.grid, left: 63.85, right: 150.04,
                        sumRight: 162.6)
            p.h(s.top, left, right + 0.34, index == 2 ? 0.36 : 0.54)
            p.h(s.grid, left, 162.85, 0.36)
            p.h(s.bottom, left, right + 0.34, index == 2 ? 0.36 : 0.54)
            let top = index == 0 ? 49.51 : s.top
            p.v(63.85, top, s.grid, 0.3)
            p.v(150.04, top, s.grid, 0.34)
            p.v(162.6, top, s.bottom, 0.3)
            let dy = s.top - sections[0].top
            p.text(String(pair), 43.95, 63.4 + dy, 3.2, bold: true, .center)
            p.text("NAMA CALON PRESIDEN", 43.95, 69.1 + dy, 1.4, bold: true, .center)
            p.text("NAMA CALON WAKIL PRESIDEN", 44.0, 71.8 + dy, 1.4, bold: true, .center)
            p.text("Hitamkan bulatan ini sesuai dengan", 160.3, 97.0 + dy, 1.3, .right)
            p.text("isian angka pada kotak", 145.2, 99.1 + dy, 1.3, .center)
            p.text("( ditulis menggunakan huruf kapital )", 64.0, 107.0 + dy, 0.9)
            let boxes = Self.boxes(Layout.page2BoxColumns, top: s.boxTop, height: s.boxHeight)
            let bubbles = Layout.bubbleColumnX.map { x in
                FormTemplate.BubbleColumn(
                    centers: (0 ..< 10).map { Point(x, s.boxTop + Layout.firstBubbleBelowBoxTop + Double($0) * Layout.bubblePitch) },
                    radius: Layout.bubbleRadius)
            }
            fields.append(FormTemplate.Field(
                name: "votes_pair_\(pair)", label: "IV.\(pair) Jumlah suara sah pasangan calon nomor urut \(pair)",
                boxes: boxes, bubbles: bubbles, guide: FormTemplate.Guide(kind: .sevenSegmentDotted, inset: Layout.guideInset)))
        }
        p.v(left, 49.51, 222.03, 0.34)
        p.v(right, 49.51, 222.03, 0.34)
        p.signatures(top: 266.37, membersBottom: 283.1, witnessesTop: 286.7, namesBottom: 296.32, bottom: 308.11)
        p.text("( Diisi oleh petugas )", 26.9, 312.5, 1.1)
        p.text("*) Coret yang tidak perlu", 188.1, 312.6, 1.4, .right)
        return FormTemplate(
            id: "c-hasil-ppwp-p2", title: "C.HASIL-PPWP halaman 2: IV. perolehan suara pasangan calon",
            family: family, page: 2, pageSize: Layout.page, markers: [marker(page: 2)], fields: fields,
            relations: fields.map { .upperBound(field: $0.name, bound: Layout.maximumCount) },
            printing: p.printing, cornerMarks: cornerMarks)
    }

    // MARK: Page 3

    package static var page3: FormTemplate {
        var p = Printer()
        p.frame()
        p.header(page: 3)
        p.text("V.", 24.2, 42.4, 1.5, bold: true)
        p.text("DATA SUARA SAH DAN SUARA TIDAK SAH", 30.3, 42.4, 1.5, bold: true)
        let (left, right) = (24.12, 190.96)
        let columns = [24.12, 29.57, 63.8, 162.63, 190.96]
        // A: the valid votes.
        p.h(49.53, left, right + 0.38, 0.3)
        p.h(62.77, left, right + 0.38, 0.48)
        for x in columns { p.v(x, 49.53, 62.77, x == right ? 0.45 : 0.3) }
        p.text("A.", 25.9, 56.9, 1.3, bold: true)
        p.text("JUMLAH SELURUH", 46.7, 54.3, 1.3, bold: true, .center)
        p.text("SUARA SAH", 46.65, 57.0, 1.3, bold: true, .center)
        p.text("( IV.1 + IV.2 + IV.3 )", 46.75, 59.9, 1.3, bold: true, .center)
        p.text("( ditulis menggunakan huruf kapital )", 140.1, 59.5, 0.9)
        // B: the invalid votes, with its tally grid.
        p.tallyGrid(numbersTop: 73.21, top: 75.77, bottom: 98.89, left: 63.8, right: 150.06, sumRight: 162.63)
        p.h(68.43, left, right + 0.38, 0.32)
        p.h(73.21, 63.8, 150.06, 0.25)
        p.h(75.77, 63.8, right + 0.38, 0.32)
        p.h(98.89, left, right + 0.38, 0.32)
        for x in columns + [150.06] { p.v(x, 68.43, 98.89, x == right || x == 150.06 ? 0.45 : 0.3) }
        p.text("B.", 26.2, 84.2, 1.3, bold: true)
        p.text("JUMLAH SUARA", 46.75, 82.9, 1.8, bold: true, .center)
        p.text("TIDAK SAH", 46.7, 86.1, 1.8, bold: true, .center)
        p.text("RINCIAN PEROLEHAN SUARA TIDAK SAH", 106.95, 71.5, 1.1, bold: true, .center)
        p.text("JUMLAH", 156.25, 71.8, 1.0, bold: true, .center)
        p.text("TIAP BARIS", 156.35, 73.5, 1.0, bold: true, .center)
        p.text("JUMLAH SUARA TIDAK SAH", 176.75, 72.7, 1.0, bold: true, .center)
        p.text("( ditulis menggunakan huruf kapital )", 166.4, 98.2, 0.9)
        // C: the total.
        p.h(103.6, left, right + 0.38, 0.48)
        p.h(116.91, left, right + 0.38, 0.32)
        for x in columns { p.v(x, 103.6, 116.91, x == right ? 0.45 : 0.3) }
        p.text("C.", 26.2, 110.9, 1.3, bold: true)
        p.text("JUMLAH SELURUH", 46.7, 106.8, 1.3, bold: true, .center)
        p.text("SUARA SAH DAN", 46.7, 109.6, 1.3, bold: true, .center)
        p.text("SUARA TIDAK SAH", 46.75, 112.3, 1.3, bold: true, .center)
        p.text("( V.A + V.B )", 46.8, 115.5, 1.3, bold: true, .center)
        p.text("( ditulis menggunakan huruf kapital )", 140.1, 113.6, 0.9)
        // The date.
        p.text("DITETAPKAN DI :", 39.7, 127.4, 1.5, bold: true)
        p.text("........................", 70.0, 127.4, 1.2)
        p.text("TANGGAL :", 101.3, 127.4, 1.5, bold: true)
        p.text("BULAN :", 130.5, 127.4, 1.5, bold: true)
        p.text("TAHUN :", 156.3, 127.4, 1.5, bold: true)
        p.signatures(top: 143.71, membersBottom: 160.37, witnessesTop: 163.96, namesBottom: 177.44, bottom: 194.19)
        p.text("( Diisi oleh petugas )", 26.8, 312.5, 1.1)
        p.text("*) Coret yang tidak perlu", 188.2, 312.5, 1.4, .right)

        let dateTop = 123.77, dateHeight = 5.74
        let fields = [
            FormTemplate.Field(name: "votes_valid", label: "V.A Jumlah seluruh suara sah (IV.1 + IV.2 + IV.3)",
                               boxes: boxes(Layout.page3BoxColumns, top: 52.64, height: 7.02)),
            FormTemplate.Field(name: "votes_invalid", label: "V.B Jumlah suara tidak sah",
                               boxes: boxes(Layout.page3BoxColumns, top: 79.12, height: 6.86)),
            FormTemplate.Field(name: "votes_total", label: "V.C Jumlah seluruh suara sah dan suara tidak sah (V.A + V.B)",
                               boxes: boxes(Layout.page3BoxColumns, top: 106.71, height: 7.02)),
            FormTemplate.Field(name: "date_day", label: "Tanggal",
                               boxes: boxes([(115.75, 5.45), (121.51, 5.6)], top: dateTop, height: dateHeight)),
            FormTemplate.Field(name: "date_month", label: "Bulan",
                               boxes: boxes([(141.66, 5.45), (147.41, 5.6)], top: dateTop, height: dateHeight)),
            FormTemplate.Field(name: "date_year", label: "Tahun",
                               boxes: boxes([(167.56, 5.45), (173.31, 5.6), (179.22, 5.6), (185.13, 5.6)], top: dateTop,
                                            height: dateHeight)),
        ]
        let counts = ["votes_valid", "votes_invalid", "votes_total"]
        return FormTemplate(
            id: "c-hasil-ppwp-p3", title: "C.HASIL-PPWP halaman 3: V. suara sah dan tidak sah",
            family: family, page: 3, pageSize: Layout.page, markers: [marker(page: 3)], fields: fields,
            relations: [.sumEquals(terms: ["votes_valid", "votes_invalid"], total: "votes_total")]
                + counts.map { .upperBound(field: $0, bound: Layout.maximumCount) }
                + [.upperBound(field: "date_day", bound: 31), .upperBound(field: "date_month", bound: 12)],
            printing: p.printing, cornerMarks: cornerMarks)
    }
}
