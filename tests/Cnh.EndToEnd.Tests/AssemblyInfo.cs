// The fault tests restart the machine's PostgreSQL and RabbitMQ: nothing else may run meanwhile.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
