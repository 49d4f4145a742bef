using System.Globalization;
using System.Xml.Linq;

namespace ConvAsMatrix.Figures;

/// <summary>
/// Grey-scale images side by side (0 black, 1 white, clamped), e.g. a sharp image, its blurred version and the
/// deconvolved one. In the terminal each pixel is a character from dark to bright; in SVG each pixel a square
/// whose grey level is round(255·value), so a test can read the pixels back from the fill colours.
/// </summary>
public sealed class ImageFigure : Figure
{
    /// <summary>One image.</summary>
    /// <param name="Title">Above the image.</param>
    /// <param name="Note">Under the image (e.g. its PSNR); may be empty.</param>
    /// <param name="Pixels">Row-major values, nominally in [0, 1].</param>
    /// <param name="Rows">Height in pixels.</param>
    /// <param name="Columns">Width in pixels.</param>
    public sealed record Image(string Title, string Note, IReadOnlyList<double> Pixels, int Rows, int Columns);

    private const string Shades = " .:-=+*#%@";
    private const double Margin = 16, Gap = 28;
    private readonly string caption;

    /// <param name="caption">What the images show.</param>
    /// <param name="images">Left to right.</param>
    /// <exception cref="ArgumentException">An image's pixel count is not rows × columns.</exception>
    public ImageFigure(string caption, IReadOnlyList<Image> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        var bad = images.FirstOrDefault(i => i.Pixels.Count != i.Rows * i.Columns);
        if (bad is not null) throw new ArgumentException($"image '{bad.Title}' has {bad.Pixels.Count} pixels, not {bad.Rows}×{bad.Columns}", nameof(images));
        this.caption = caption;
        Images = images;
    }

    /// <summary>The images, left to right.</summary>
    public IReadOnlyList<Image> Images { get; }

    /// <inheritdoc/>
    public override string Caption => caption;

    /// <summary>The grey level 0…255 a pixel value is drawn with.</summary>
    public static int Grey(double value) => (int)Math.Round(255 * Math.Clamp(double.IsNaN(value) ? 0 : value, 0, 1));

    /// <inheritdoc/>
    public override IReadOnlyList<string> TextLines()
    {
        var lines = new List<string> { string.Join("  ", Images.Select(im => im.Title.PadRight(im.Columns))) };
        int rows = Images.Max(im => im.Rows);
        for (int i = 0; i < rows; i++)
            lines.Add(string.Join("  ", Images.Select(im => i >= im.Rows ? new string(' ', im.Columns) : new string(Enumerable.Range(0, im.Columns)
                .Select(j => Shades[Math.Clamp((int)(im.Pixels[i * im.Columns + j] * Shades.Length), 0, Shades.Length - 1)]).ToArray()))));
        return lines;
    }

    /// <inheritdoc/>
    public override XElement ToSvg()
    {
        double scale = Math.Clamp(Math.Floor(200.0 / Images.Max(im => Math.Max(im.Rows, im.Columns))), 2, 12);
        var content = new List<XElement>();
        double x = Margin, top = Margin + 24, bottom = 0;
        foreach (var image in Images)
        {
            double w = image.Columns * scale, h = image.Rows * scale;
            var pixels = new List<XElement>(image.Pixels.Count + 2);
            for (int i = 0; i < image.Rows; i++)
                for (int j = 0; j < image.Columns; j++)
                {
                    int g = Grey(image.Pixels[i * image.Columns + j]);
                    pixels.Add(Svg.Rect(x + j * scale, top + i * scale, scale, scale, $"#{g:x2}{g:x2}{g:x2}"));
                }
            content.Add(Svg.Text(x + w / 2, Margin + 8, image.Title, 13.5, Svg.Ink, weight: "600"));
            content.Add(Svg.Group([("data-image", image.Title), ("data-rows", image.Rows.ToString(CultureInfo.InvariantCulture)),
                ("data-cols", image.Columns.ToString(CultureInfo.InvariantCulture)), ("shape-rendering", "crispEdges")], pixels));
            content.Add(Svg.Rect(x, top, w, h, "none", "#8c959f"));
            if (image.Note.Length > 0) content.Add(Svg.Text(x + w / 2, top + h + 16, image.Note, 12.5, Svg.Muted));
            bottom = Math.Max(bottom, top + h + (image.Note.Length > 0 ? 28 : 8));
            x += Math.Max(w, Svg.Width(image.Title, 13.5)) + Gap;
        }
        return Svg.Root(x - Gap + Margin, bottom + Margin, caption, "images", content);
    }
}
