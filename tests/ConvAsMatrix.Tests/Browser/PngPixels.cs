using SkiaSharp;

namespace ConvAsMatrix.Tests.Browser;

/// <summary>What a screenshot holds, decoded with SkiaSharp (ScottPlot's renderer, already among the packages): is there anything on it?</summary>
public sealed record PngPixels(int Width, int Height, double LuminanceDeviation, double InkFraction, int Colours)
{
    /// <summary>Decodes a PNG and measures it: the standard deviation of luminance (0–255), the fraction of pixels clearly darker than white, the number of distinct colours.</summary>
    public static PngPixels Measure(byte[] png)
    {
        using var bitmap = SKBitmap.Decode(png) ?? throw new InvalidDataException("not a decodable PNG");
        double sum = 0, squares = 0;
        long ink = 0;
        var colours = new HashSet<uint>();
        foreach (var c in bitmap.Pixels)
        {
            double l = 0.2126 * c.Red + 0.7152 * c.Green + 0.0722 * c.Blue;
            sum += l;
            squares += l * l;
            if (l < 200) ink++;
            if (colours.Count < 100_000) colours.Add((uint)c);
        }
        double n = (double)bitmap.Width * bitmap.Height, mean = sum / n;
        return new PngPixels(bitmap.Width, bitmap.Height, Math.Sqrt(Math.Max(0, squares / n - mean * mean)), ink / n, colours.Count);
    }

    /// <summary>Text and figures on a page: luminance varies, some pixels are ink, and there are more than a couple of colours.</summary>
    public bool ShowsSomething => LuminanceDeviation > 8 && InkFraction > 0.01 && Colours > 16;
}
