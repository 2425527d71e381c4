import Testing
@testable import FormVision
@Test func smoke() { #expect(FormVision.version == "0.1.0") }
