package io.proxyless.spark.step.driver;

import io.proxyless.spark.step.TaskReport;
import io.proxyless.spark.step.Wire;
import org.apache.spark.rpc.RpcCallContext;
import org.apache.spark.rpc.RpcEnv;
import org.apache.spark.rpc.ThreadSafeRpcEndpoint;
import scala.PartialFunction;
import scala.PartialFunction$;
import scala.runtime.BoxedUnit;

/**
 * The driver's RPC endpoint for long-running step tasks, in Spark's own RPC environment (as barrier
 * mode's coordinator is), so it needs no port of its own and inherits Spark's authentication and
 * encryption. Answers are held until the mailbox has work, then sent from whichever thread has it.
 */
final class StepEndpoint implements ThreadSafeRpcEndpoint {

    private final RpcEnv env;
    private final StepMailbox mailbox;

    StepEndpoint(RpcEnv env, StepMailbox mailbox) {
        this.env = env;
        this.mailbox = mailbox;
    }

    @Override
    public RpcEnv rpcEnv() {
        return env;
    }

    @Override
    public PartialFunction<Object, BoxedUnit> receiveAndReply(RpcCallContext context) {
        return PartialFunction$.MODULE$.fromFunction(message -> {
            if (message instanceof byte[] bytes) {
                mailbox.report(Wire.decode(bytes, TaskReport.class), context::reply);
            } else {
                context.sendFailure(new IllegalArgumentException("not a step task report: " + message));
            }
            return BoxedUnit.UNIT;
        });
    }
}
