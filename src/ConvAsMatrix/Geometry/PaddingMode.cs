namespace ConvAsMatrix;

/// <summary>
/// How the forward convolution reads positions outside its input, with the meaning of PyTorch's
/// <c>nn.Conv{1,2,3}d(padding_mode=...)</c>: the non-zero modes pad the input first and then convolve
/// with padding 0.
/// </summary>
/// <remarks>
/// Drawn for an input <c>abcdefgh</c> padded by three on each side (the notation of ImageSharp's
/// kernel sampling maps):
/// <code>
/// Zeros      000|abcdefgh|000
/// Reflect    dcb|abcdefgh|gfe   (mirror without repeating the edge; needs padding &lt; input)
/// Replicate  aaa|abcdefgh|hhh   (clamp to the edge)
/// Circular   fgh|abcdefgh|abc   (wrap around; needs padding &lt;= input)
/// </code>
/// With a non-zero mode several taps of one output may read the same input element; V then stores one
/// entry holding the sum of those kernel values.
/// </remarks>
public enum PaddingMode
{
    /// <summary>Positions outside the input read zero; V stores no entry for them.</summary>
    Zeros,
    /// <summary>Mirror at the edge without repeating it: index −p reads p, index n−1+p reads n−1−p.</summary>
    Reflect,
    /// <summary>Clamp to the nearest edge element.</summary>
    Replicate,
    /// <summary>Wrap around: index p reads p mod n.</summary>
    Circular,
}
