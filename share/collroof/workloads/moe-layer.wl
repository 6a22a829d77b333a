# One mixture-of-experts layer with expert parallelism: token dispatch and
# combine as all-to-all-v with skewed routing, forward and backward.
#
#   tokens per rank  s x b = 2048 x 2 = 4096 (sequence 2048, micro-batch 2)
#   top-k            2 experts per token
#   hidden h         2048, bf16: 2 bytes per value
#   dispatch bytes   tokens x top-k x h x 2 = 4096 x 2 x 2048 x 2 = 33,554,432 = 32M
#                    (the S of alltoallv: the mean bytes a rank sends)
#
# One expert per rank, experts over every rank (comm=world). skew=zipf:1.2: the
# k-th most popular expert gets a share ~ 1/k^1.2 of the tokens, as routers that
# are not load balanced do; seed=7 fixes which ranks are the hot experts.
# The combine sends each token's result back: its counts are the transpose of the
# dispatch's (the hot experts send the most). collroof's alltoallv routes by
# receiver, so combine is replayed with the same skew: the same bytes, the hot
# ranks receiving rather than sending.
#
# gap_us: compute per rank at an assumed 300 TFLOP/s (put your own):
#   expert MLP forward  tokens x top-k x 16 h^2 = 8192 x 16 x 2048^2 = 5.498e11 FLOPs -> 1833 us
#     (the mean rank's; the hot expert's is larger: the replay's skew shows in the
#     all-to-all-v, the compute is the mean)
#   expert MLP backward 2 x forward                                                   -> 3665 us
collroof-workload 1
name moe-layer-top2-h2048
# forward: dispatch, experts, combine
call alltoallv 32M comm=world skew=zipf:1.2 seed=7 gap_us=0
call alltoallv 32M comm=world skew=zipf:1.2 seed=7 gap_us=1833
# backward: gradients of the combine, experts, gradients of the dispatch
call alltoallv 32M comm=world skew=zipf:1.2 seed=7 gap_us=0
call alltoallv 32M comm=world skew=zipf:1.2 seed=7 gap_us=3665
