"""Distributed regularised deconvolution with PETSc's KSPLSQR on V written block by block by convmat.

Each MPI rank reads only its own files: a block of V's rows (`convmat compile --rows R0:R1 --format petsc`) and the
same rows of y (a PETSc binary vector), builds its rows of the stacked operator [V; sqrt(lambda) I] and of [y; 0],
and KSPLSQR solves min |V x - y|^2 + lambda |x|^2 across the ranks. Rank 0 prints one JSON line (iterations,
converged reason, sizes) and x is written with PETSc's own VecView.

usage: mpiexec -n P python3 lsqr_blocks.py LAMBDA RTOL X_OUT.petsc V0.petsc Y0.petsc [V1.petsc Y1.petsc ...]
       (one V block and one y block per rank, in rank order; PETSC_DIR must point at Debian's petsc3.18 real build)
"""
import json
import math
import sys

import petsc4py

petsc4py.init(sys.argv[:1])
from petsc4py import PETSc  # noqa: E402

comm = PETSc.COMM_WORLD
rank, size = comm.getRank(), comm.getSize()
lam, rtol, x_path = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
files = sys.argv[4:]
if len(files) != 2 * size:
    raise SystemExit(f"{size} ranks need {size} V blocks and {size} y blocks, got {len(files)} files")
v_path, y_path = files[2 * rank], files[2 * rank + 1]

# This rank's block of rows, read by this rank alone (COMM_SELF): no communication to build V.
block = PETSc.Mat().load(PETSc.Viewer().createBinary(v_path, "r", comm=PETSc.COMM_SELF))
y_block = PETSc.Vec().load(PETSc.Viewer().createBinary(y_path, "r", comm=PETSc.COMM_SELF))
m_local, n = block.getSize()
indptr, indices, values = block.getValuesCSR()
assert y_block.getSize() == m_local, (y_block.getSize(), m_local)

# Columns (x) split the way PETSC_DECIDE splits them (PetscSplitOwnership), so each rank also knows its share
# of the sqrt(lambda) I rows without asking the others.
n_local = n // size + (1 if n % size > rank else 0)
c0 = rank * (n // size) + min(rank, n % size)
damp = math.sqrt(lam)
rows_local = m_local + n_local
csr_ptr = list(indptr) + [indptr[-1] + k for k in range(1, n_local + 1)]
csr_idx = list(indices) + [c0 + k for k in range(n_local)]
csr_val = list(values) + [damp] * n_local

A = PETSc.Mat().createAIJ(size=((rows_local, PETSc.DECIDE), (n_local, n)), csr=(csr_ptr, csr_idx, csr_val), comm=comm)
A.assemble()
b = A.createVecLeft()
start, _ = b.getOwnershipRange()
b.setValues(range(start, start + m_local), y_block.getArray())
b.setValues(range(start + m_local, start + rows_local), [0.0] * n_local)
b.assemble()

ksp = PETSc.KSP().create(comm)
ksp.setType(PETSc.KSP.Type.LSQR)
ksp.getPC().setType(PETSc.PC.Type.NONE)
ksp.setOperators(A)
ksp.setTolerances(rtol=rtol, atol=0.0, max_it=100000)
ksp.setFromOptions()
x = A.createVecRight()
ksp.solve(b, x)
x.view(PETSc.Viewer().createBinary(x_path, "w", comm=comm))
if rank == 0:
    print(json.dumps({"ranks": size, "rows": A.getSize()[0], "columns": n, "iterations": ksp.getIterationNumber(),
                      "reason": int(ksp.getConvergedReason())}))
