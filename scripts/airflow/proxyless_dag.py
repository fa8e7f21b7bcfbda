"""Airflow DAG: search, retrain, evaluate and report, as four spark-submit jobs of the job jar.

Each run works in its own folder, `<output_root>/<ds_nodash>`, passed from task to task:

    search    -> <run>/search     (architecture.json, report.html, ...)
    retrain   -> <run>/model      (the model folder)
    evaluate  -> <run>/evaluation.json
    report    -> <run>/search/report.html, redrawn

Parameters come from the DAG's params (set them when triggering a run), whose defaults are the
Airflow Variables `proxyless_jar`, `proxyless_data`, `proxyless_test_data`, `proxyless_output_root`
and `proxyless_config`. The Spark connection `spark_default` gives the master (YARN, Kubernetes,
standalone). A retried search task resumes from its newest checkpoint (`--resume`); a finished step
is never overwritten (`_SUCCESS`).

The spark-submit settings are those of scripts/submit.sh: one training task per executor
(spark.task.cpus = spark.executor.cores), libtorch's threads, conf/spark-defaults.conf.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.models import Variable
from airflow.models.param import Param
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

MAIN_CLASS = "io.proxyless.spark.cli.Main"
RUN = "{{ params.output_root }}/{{ ds_nodash }}"


def spark_conf(cores):
    """The settings scripts/submit.sh passes to spark-submit for `cores` cores per executor."""
    djl = ("-Dai.djl.offline=true -Dai.djl.pytorch.num_threads=%d -Dai.djl.pytorch.num_interop_threads=1" % cores)
    return {
        "spark.executor.cores": str(cores),
        "spark.task.cpus": str(cores),
        "spark.executor.extraJavaOptions": djl,
        "spark.driver.extraJavaOptions": djl,
    }


def commands(run, data, test_data, config, retrain_epochs):
    """Each task's command-line arguments of the job jar, by task id."""
    return {
        "search": ["search", "--resume", run + "/search", "--data", data, "--config", config],
        "retrain": ["retrain", "--arch", run + "/search/architecture.json", "--data", data, "--test-data", test_data,
                    "--config", config, "--num-epochs", str(retrain_epochs), "--output", run + "/model"],
        "evaluate": ["evaluate", "--model", run + "/model", "--data", test_data,
                     "--output", run + "/evaluation.json"],
        "report": ["report", "--run", run + "/search"],
    }


EXECUTOR_CORES = int(Variable.get("proxyless_executor_cores", default_var="2"))

with DAG(
    dag_id="proxyless_search",
    schedule="@daily",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=10)},
    params={
        "jar": Param(Variable.get("proxyless_jar", default_var="spark-job-0.1.0-SNAPSHOT-job.jar"), type="string"),
        "data": Param(Variable.get("proxyless_data", default_var="hdfs:///data/fashion-mnist"), type="string"),
        "test_data": Param(Variable.get("proxyless_test_data", default_var="hdfs:///data/fashion-mnist"),
                           type="string"),
        "output_root": Param(Variable.get("proxyless_output_root", default_var="hdfs:///runs/proxyless"),
                             type="string"),
        "config": Param(Variable.get("proxyless_config", default_var="hdfs:///conf/proxyless/search.yaml"),
                        type="string"),
        "retrain_epochs": Param(30, type="integer", minimum=1),
    },
) as dag:
    steps = commands(RUN, "{{ params.data }}", "{{ params.test_data }}", "{{ params.config }}",
                     "{{ params.retrain_epochs }}")
    tasks = [
        SparkSubmitOperator(
            task_id=task_id,
            conn_id="spark_default",
            application="{{ params.jar }}",
            java_class=MAIN_CLASS,
            name="proxyless " + task_id + " {{ ds_nodash }}",
            conf=spark_conf(EXECUTOR_CORES),
            executor_cores=EXECUTOR_CORES,
            application_args=args,
        )
        for task_id, args in steps.items()
    ]
    for upstream, downstream in zip(tasks, tasks[1:]):
        upstream >> downstream
