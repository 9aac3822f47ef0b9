package io.scanenhancer.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Adam (Kingma and Ba 2015, Algorithm 1) with the very update of DJL's {@code Adam} (the same native kernel, the
 * same bias correction folded into the learning rate), but whose moment estimates and update count can be saved
 * and loaded: DJL's keeps them private, so a resumed run restarted Adam from zero moments. Single device.
 */
public final class ResumableAdam extends Optimizer {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;
    private static final int FORMAT = 1;

    private final LearningRateSchedule learningRate;
    private final LongSupplier step;
    private final Map<String, NDArray> means = new HashMap<>();
    private final Map<String, NDArray> variances = new HashMap<>();
    private final Map<String, Integer> counts = new HashMap<>();
    /** Adam's t: updates made so far (every parameter is updated at every step). */
    private int updates;

    /**
     * @param step the trainer's step counter, which keys the learning rate (it survives a resume; t does too here)
     * @param clipGrad as DJL's optClipGrad: handed to the same native kernel
     */
    public ResumableAdam(LearningRateSchedule learningRate, LongSupplier step, float clipGrad) {
        super(new Builder().optClipGrad(clipGrad));
        this.learningRate = learningRate;
        this.step = step;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        // as DJL's Optimizer.updateCount: the largest count over all parameters
        updates = Math.max(updates, counts.merge(parameterId, 1, Integer::sum));
        int t = updates;
        double coef1 = 1.0 - Math.pow(BETA1, t);
        double coef2 = 1.0 - Math.pow(BETA2, t);
        float lr = learningRate.at(step.getAsLong());
        float corrected = (float) (lr * Math.sqrt(coef2) / coef1);
        if (!Float.isFinite(corrected)) {
            throw new IllegalStateException("learning rate is not finite: " + corrected);
        }
        NDArray mean = means.computeIfAbsent(parameterId, k -> weight.zerosLike());
        NDArray variance = variances.computeIfAbsent(parameterId, k -> weight.zerosLike());
        weight.getNDArrayInternal().adamUpdate(new NDList(weight, grad, mean, variance), new NDList(weight),
                lr, corrected, getWeightDecay(), rescaleGrad, clipGrad, BETA1, BETA2, EPSILON, true, false);
    }

    /** Writes t and both moments of every parameter, in the order given (the network's, stable across runs). */
    public void save(DataOutputStream out, List<Parameter> parameters) throws IOException {
        out.writeInt(FORMAT);
        out.writeInt(updates);
        NDList state = new NDList();
        for (Parameter p : parameters) {
            NDArray w = p.getArray();
            state.add(means.getOrDefault(p.getId(), w.zerosLike()));
            state.add(variances.getOrDefault(p.getId(), w.zerosLike()));
        }
        out.writeInt(parameters.size());
        state.encode(out);
        out.flush();
    }

    /** Reads what {@link #save} wrote, for the same network; parameter ids differ between runs, the order does not. */
    public void load(DataInputStream in, List<Parameter> parameters) throws IOException {
        if (in.readInt() != FORMAT) {
            throw new IOException("unknown optimiser state format");
        }
        int t = in.readInt();
        if (in.readInt() != parameters.size()) {
            throw new IOException("optimiser state for another network");
        }
        NDArray first = parameters.get(0).getArray();
        NDList state = NDList.decode(first.getManager(), in);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            NDArray m = state.get(2 * i), v = state.get(2 * i + 1);
            if (!m.getShape().equals(p.getArray().getShape())) {
                throw new IOException("optimiser state does not match parameter " + p.getName());
            }
            means.put(p.getId(), m.toDevice(p.getArray().getDevice(), false));
            variances.put(p.getId(), v.toDevice(p.getArray().getDevice(), false));
            ids.add(p.getId());
        }
        updates = t;
        ids.forEach(id -> counts.put(id, t));
    }

    /** Adam's t. */
    public int updates() {
        return updates;
    }

    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
