using System.Runtime.CompilerServices;

namespace ConvAsMatrix;

/// <summary>
/// The order the weight gradient's tiles run in along the positions (<see cref="BlockedWeightGradientOf{TNum}"/>), as a
/// cursor: per group, bands of <see cref="Together"/> channel blocks (the last band of a group shorter); each band in
/// strips of <see cref="Strip"/> column blocks (the last strip shorter); within a strip, each channel block's column
/// blocks in turn. <see cref="MoveTo"/> places it at any tile by division (a thread's range and each few tiles start
/// anywhere); <see cref="Next"/> steps by counting, so a tile costs no division and the order needs no table.
/// </summary>
internal struct TileBands(int blocks, int columnBlocks, int together, int strip)
{
    /// <summary>Channel blocks per band.</summary>
    public readonly int Together = together;

    /// <summary>Column blocks per strip.</summary>
    public readonly int Strip = strip;

    /// <summary>The current tile.</summary>
    public int Group, Block, ColumnBlock;

    private int band, first, bandEnd, stripEnd;

    /// <summary>Places the cursor at the <paramref name="t"/>-th tile of the order.</summary>
    public void MoveTo(long t)
    {
        long groupTiles = (long)blocks * columnBlocks, r = t % groupTiles;
        Group = (int)(t / groupTiles);
        long bandTiles = (long)Together * columnBlocks;
        band = (int)(r / bandTiles) * Together;
        bandEnd = Math.Min(band + Together, blocks);
        r -= (long)band * columnBlocks;
        int height = bandEnd - band;
        long stripTiles = (long)height * Strip;
        first = (int)(r / stripTiles) * Strip;
        stripEnd = Math.Min(first + Strip, columnBlocks);
        r -= (long)first * height;
        int width = stripEnd - first;
        Block = band + (int)(r / width);
        ColumnBlock = first + (int)(r % width);
    }

    /// <summary>Steps to the next tile of the order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Next()
    {
        if (++ColumnBlock < stripEnd) return;
        ColumnBlock = first;
        if (++Block < bandEnd) return;
        Block = band;
        first = stripEnd;
        if (first == columnBlocks)
        {
            first = 0;
            band = bandEnd;
            if (band == blocks)
            {
                band = 0;
                Group++;
            }
            bandEnd = Math.Min(band + Together, blocks);
            Block = band;
        }
        stripEnd = Math.Min(first + Strip, columnBlocks);
        ColumnBlock = first;
    }
}
