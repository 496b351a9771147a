package io.qingliu.capacity.plan;

/** What a coverage goal asks of its units; see {@code qingliu.capacity.v1.ServiceType}. */
public enum ServiceType implements Numbered {
    SEWAGE_TREATMENT(1),
    GARBAGE_COLLECTION_AND_TREATMENT(2);

    private final int number;

    ServiceType(int number) {
        this.number = number;
    }

    @Override
    public int number() {
        return number;
    }

    /** The {@code coverage_goal.service_type} column. */
    @jakarta.persistence.Converter
    public static class Column extends Numbered.Column<ServiceType> {
        public Column() {
            super(ServiceType.class);
        }
    }
}
