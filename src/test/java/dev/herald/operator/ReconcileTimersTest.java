package dev.herald.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import org.junit.jupiter.api.Test;

/**
 * No controller asks JOSDK for a periodic reconcile: its timer keeps each replaced task until the
 * task's time, so a 10-hour safety reconcile renewed on every reconcile grew the heap by the number
 * of reconciles of the last 10 hours (22,817 such tasks partway through a bench run of 16,000
 * deliveries).
 */
@EnableKubernetesMockClient(crud = true)
class ReconcileTimersTest extends OperatorTestBase {

  @Test
  void noControllerHasAPeriodicReconcileWhoseTimerTasksWouldPileUp() {
    var controllers = herald.operator().runtimeInfo().getRegisteredControllers();
    assertThat(controllers).hasSize(4);
    for (RegisteredController<?> controller : controllers) {
      ControllerConfiguration<?> c = controller.getConfiguration();
      assertThat(c.maxReconciliationInterval()).as(c.getName()).isEmpty();
    }
  }
}
