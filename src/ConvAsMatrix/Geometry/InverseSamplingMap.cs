namespace ConvAsMatrix;

/// <summary>For one dimension: which map entries read input index s (<c>Entries[Start[s] .. Start[s + 1]]</c>, ascending), with their output positions and taps.</summary>
internal sealed class InverseSamplingMap
{
    /// <summary>The inverse maps of a geometry's three dimensions (<see cref="ConvGeometry.Maps3"/>).</summary>
    public static InverseSamplingMap[] Of(ConvGeometry g)
    {
        var maps = g.Maps3;
        var inSize = ConvGeometry.Pad3(g.InputSize, 1);
        var inverse = new InverseSamplingMap[ConvGeometry.MaxRank];
        for (int d = 0; d < inverse.Length; d++) inverse[d] = new InverseSamplingMap(maps[d], inSize[d]);
        return inverse;
    }

    /// <summary>The bytes its arrays hold.</summary>
    public long Bytes => ((long)Start.Length + Entries.Length + Output.Length + FirstTap.Length) * sizeof(int);

    public InverseSamplingMap(SamplingMap map, int inputSize)
    {
        int entries = map.Source.Length;
        Start = new int[inputSize + 1];
        foreach (int s in map.Source) Start[s + 1]++;
        for (int s = 0; s < inputSize; s++) Start[s + 1] += Start[s];
        Entries = new int[entries];
        var next = Start[..inputSize];
        for (int e = 0; e < entries; e++) Entries[next[map.Source[e]]++] = e;
        var output = new int[entries];
        for (int o = 0; o < map.OutputSize; o++)
            for (int e = map.EntryStart[o]; e < map.EntryStart[o + 1]; e++) output[e] = o;
        // Indexed by list position rather than entry, so the innermost loop reads them in order.
        Output = Array.ConvertAll(Entries, e => output[e]);
        FirstTap = Array.ConvertAll(Entries, e => map.Taps[map.TapStart[e]]);
    }

    public int[] Start { get; }

    public int[] Entries { get; }

    /// <summary>The output position of the entry at each list position.</summary>
    public int[] Output { get; }

    /// <summary>The (first) tap of the entry at each list position: its only tap under zero padding.</summary>
    public int[] FirstTap { get; }

    public int Count(int s) => Start[s + 1] - Start[s];
}
