"""Imports scripts/airflow/proxyless_dag.py against stand-ins of the Airflow API it uses (Airflow
itself cannot be installed here), renders its templates for one run, and prints each task as JSON."""
import importlib.util
import json
import sys
import types

TASKS = []


class DAG:
    def __init__(self, dag_id, params=None, **kwargs):
        self.dag_id = dag_id
        self.params = params or {}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class Variable:
    @staticmethod
    def get(key, default_var=None):
        return default_var


class Param:
    def __init__(self, default=None, **schema):
        self.value = default


class SparkSubmitOperator:
    def __init__(self, task_id, **kwargs):
        self.task_id = task_id
        self.kwargs = kwargs
        self.downstream = []
        TASKS.append(self)

    def __rshift__(self, other):
        self.downstream.append(other.task_id)
        return other


def module(name, **attrs):
    m = types.ModuleType(name)
    m.__dict__.update(attrs)
    sys.modules[name] = m
    return m


module("airflow", DAG=DAG)
module("airflow.models", Variable=Variable)
module("airflow.models.param", Param=Param)
module("airflow.providers")
module("airflow.providers.apache")
module("airflow.providers.apache.spark")
module("airflow.providers.apache.spark.operators")
module("airflow.providers.apache.spark.operators.spark_submit", SparkSubmitOperator=SparkSubmitOperator)

path, ds_nodash = sys.argv[1], sys.argv[2]
spec = importlib.util.spec_from_file_location("proxyless_dag", path)
dag_module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dag_module)
params = {k: p.value for k, p in dag_module.dag.params.items()}


def render(value):
    if isinstance(value, str):
        for k, v in params.items():
            value = value.replace("{{ params.%s }}" % k, str(v))
        return value.replace("{{ ds_nodash }}", ds_nodash)
    if isinstance(value, list):
        return [render(v) for v in value]
    if isinstance(value, dict):
        return {k: render(v) for k, v in value.items()}
    return value


print(json.dumps([{"task_id": t.task_id, "downstream": t.downstream,
                   **{k: render(v) for k, v in t.kwargs.items()}} for t in TASKS]))
