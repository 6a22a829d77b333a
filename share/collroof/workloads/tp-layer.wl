# One transformer layer under tensor parallelism with Megatron-style sequence
# parallelism, forward and backward (no activation recomputation).
#
#   hidden h = 4096, sequence s = 2048, micro-batch b = 1, bf16: 2 bytes per value
#   activation s x b x h x 2 = 2048 x 1 x 4096 x 2 = 16,777,216 bytes = 16M
#
# With sequence parallelism each tp rank holds s/tp of the sequence outside the
# attention and MLP blocks; each block starts with an all-gather of its input
# (the whole s x b x h activation, the S of allgather: the gathered output) and
# ends with a reduce-scatter of its output (the S of reduce_scatter: the
# per-rank input, again the whole activation). Backward swaps them: the
# gradient of an all-gather is a reduce-scatter and the reverse. Per layer:
# 2 all-gathers + 2 reduce-scatters forward, 2 + 2 backward.
#
# layout tp=2: tensor-parallel groups of 2 consecutive ranks of one host, so that
# the file runs on any even number of ranks per host; Megatron runs tp=8 on an
# 8-GPU host: change the layout line (tp must divide every host's rank count).
#
# gap_us: the compute of each block before its reduce-scatter, per tp rank, at an
# assumed 300 TFLOP/s sustained (bf16 tensor cores; put your own):
#   attention forward  (8 b s h^2 + 4 b s^2 h) / tp = (2.749e11 + 6.872e10) / 2 = 1.718e11 FLOPs -> 573 us
#   MLP forward        16 b s h^2 / tp = 5.498e11 / 2 = 2.749e11 FLOPs                         -> 916 us
#   backward = 2 x forward: attention 1145 us, MLP 1833 us
collroof-workload 1
name tp-layer-h4096-s2048
layout tp=2
# forward: attention block
call allgather 16M comm=tp gap_us=0
call reduce_scatter 16M comm=tp gap_us=573
# forward: MLP block
call allgather 16M comm=tp gap_us=0
call reduce_scatter 16M comm=tp gap_us=916
# backward: MLP block (gradient of the reduce-scatter: all-gather; of the all-gather: reduce-scatter)
call allgather 16M comm=tp gap_us=0
call reduce_scatter 16M comm=tp gap_us=1833
# backward: attention block
call allgather 16M comm=tp gap_us=0
call reduce_scatter 16M comm=tp gap_us=1145
