import FormVision

/// Draws a label's geometry over its photo, to check by eye that labels and pixels agree.
public enum LabelOverlay {
    /// The photo (upright, RGB) with the page outline in green, markers in blue and every box
    /// in red.
    public static func draw(_ label: PhotoLabel, on photo: Image) throws(ImageError) -> Image {
        var image = photo.rgb()
        let thickness = max(1, Double(max(image.width, image.height)) / 1500)
        func quad(_ corners: [Point], _ color: [UInt8]) throws(ImageError) {
            try DebugDrawing.polygon(corners, on: &image, thickness: thickness, color: color)
        }
        try quad(label.pageCorners, [0, 200, 0])
        for marker in label.markers { try quad(marker.corners, [0, 80, 255]) }
        for field in label.fields { for box in field.boxes { try quad(box.corners, [230, 0, 0]) } }
        return image
    }
}
