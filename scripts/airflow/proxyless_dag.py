"""Airflow DAG: a nightly ProxylessNAS search through scripts/submit.sh.

Set the Airflow Variables `proxyless_home` (a checkout with the job jar built), `proxyless_data`
and `proxyless_output_root` (any Hadoop URIs). Each run writes to its own folder named by the run's
logical date, so a retried or rerun task never overwrites a finished search (`_SUCCESS`).
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.models import Variable
from airflow.operators.bash import BashOperator

with DAG(
    dag_id="proxyless_search",
    schedule="@daily",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    default_args={"retries": 1, "retry_delay": timedelta(minutes=10)},
) as dag:
    BashOperator(
        task_id="search",
        bash_command=(
            "{{ var.value.proxyless_home }}/scripts/submit.sh --master yarn --deploy-mode cluster -- "
            "search --data {{ var.value.proxyless_data }} "
            "--output {{ var.value.proxyless_output_root }}/{{ ds_nodash }} "
            "--config {{ var.value.proxyless_home }}/conf/defaults.yaml"
        ),
    )
