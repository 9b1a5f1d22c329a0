"""SPC baselines, demand forecasts (with their horizon points) and meetings

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 09:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('spc_baselines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.Date(), nullable=False),
    sa.Column('fix_points', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], ),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('spc_baselines', schema=None) as batch_op:
        batch_op.create_index('ix_spc_baselines_indicator_area', ['indicator_id', 'area_id'],
                              unique=False)

    op.create_table('forecasts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.Column('method', sa.String(length=120), nullable=False),
    sa.Column('baseline_method', sa.String(length=40), nullable=False),
    sa.Column('period_type', sa.String(length=20), nullable=False),
    sa.Column('last_period_end', sa.Date(), nullable=False),
    sa.Column('n_points', sa.Integer(), nullable=False),
    sa.Column('horizon', sa.Integer(), nullable=False),
    sa.Column('backtest_origins', sa.Integer(), nullable=False),
    sa.Column('mase_model', sa.Float(), nullable=True),
    sa.Column('mase_baseline', sa.Float(), nullable=True),
    sa.Column('shown', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('synthetic', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], ),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('indicator_id', 'area_id', name='uq_forecast_key')
    )
    op.create_table('forecast_points',
    sa.Column('forecast_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=60), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('point', sa.Float(), nullable=False),
    sa.Column('lo80', sa.Float(), nullable=False),
    sa.Column('hi80', sa.Float(), nullable=False),
    sa.Column('lo95', sa.Float(), nullable=False),
    sa.Column('hi95', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['forecast_id'], ['forecasts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('forecast_id', 'step')
    )
    op.create_table('meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meetings_date'), ['date'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meetings_date'))

    op.drop_table('meetings')
    op.drop_table('forecast_points')
    op.drop_table('forecasts')
    with op.batch_alter_table('spc_baselines', schema=None) as batch_op:
        batch_op.drop_index('ix_spc_baselines_indicator_area')

    op.drop_table('spc_baselines')
